import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { RecordingAudioCodec, RecordingContainer, RecordingModeKind, RecordingModeSettings } from '../../domain/index.ts';
import { RECORDING_AUDIO_CODECS, RECORDING_CONTAINERS, RECORDING_MODE_KINDS } from '../../domain/index.ts';

/** A recording mode the console edits; recordings keep a copy of the one they started with. */
@Entity({ tableName: 'recording_modes' })
@Unique({ name: 'recording_modes_one_default', expression: 'create unique index "recording_modes_one_default" on "recording_modes" ("is_default") where "is_default"' })
export class RecordingMode implements RecordingModeSettings {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  @Unique()
  name!: string;

  /** The mode recordings use unless their server names another; exactly one is the default. */
  @Property({ type: 'boolean' })
  isDefault: Opt<boolean> = false;

  @Enum({ items: () => [...RECORDING_MODE_KINDS], type: 'text' })
  kind!: RecordingModeKind;

  @Property({ type: 'integer' })
  width!: number;

  @Property({ type: 'integer' })
  height!: number;

  @Property({ type: 'integer' })
  fps!: number;

  @Property({ type: 'integer' })
  videoBitrateKbps!: number;

  @Enum({ items: () => [...RECORDING_CONTAINERS], type: 'text' })
  container!: RecordingContainer;

  @Enum({ items: () => [...RECORDING_AUDIO_CODECS], type: 'text' })
  audioCodec!: RecordingAudioCodec;

  @Property({ type: 'boolean' })
  onlyConsenting: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
