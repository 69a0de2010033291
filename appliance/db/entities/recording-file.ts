import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { RecordingFileKind } from '../../domain/index.ts';
import { Recording } from './recording.ts';

/** A finished file of a recording, with what ffprobe said of it. */
@Entity({ tableName: 'recording_files' })
export class RecordingFile {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Recording, mapToPk: true, fieldName: 'recording_id', deleteRule: 'cascade', index: true })
  recordingId!: string;

  @Enum({ items: () => ['video', 'audio', 'track', 'manifest'], type: 'text' })
  kind!: RecordingFileKind;

  /** Relative to the recordings directory. */
  @Property({ type: 'text' })
  path!: string;

  /** The participant whose track this is (separate-tracks mode). */
  @Property({ type: 'text', nullable: true })
  participantName: string | null = null;

  @Enum({ items: () => ['audio', 'video'], type: 'text', nullable: true })
  medium: 'audio' | 'video' | null = null;

  @Property({ type: new BigIntType('number') })
  sizeBytes!: number;

  @Property({ type: 'integer', nullable: true })
  durationMs: number | null = null;

  @Property({ type: 'json' })
  codecs: Opt<string[]> = [];

  /** Null from the links' posting until the file has been read through once (hours of video take seconds). */
  @Property({ type: 'text', nullable: true })
  sha256: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
