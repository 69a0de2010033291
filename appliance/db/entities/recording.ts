import { BigIntType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { RecordingData, RecordingModeSnapshot, RecordingState, StopReason } from '../../domain/index.ts';
import { STOP_REASONS } from '../../domain/index.ts';
import { RecordingMode } from './recording-mode.ts';
import { Conference } from './conference.ts';
import { User } from './user.ts';

@Entity({ tableName: 'recordings' })
@Unique({ properties: ['conferenceId', 'number'] })
export class Recording implements RecordingData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Conference, mapToPk: true, fieldName: 'conference_id', deleteRule: 'cascade' })
  conferenceId!: string;

  @Property({ type: 'integer' })
  number!: number;

  @Enum({ items: () => ['recording', 'paused', 'processing', 'ready', 'failed'], type: 'text' })
  @Index()
  state!: RecordingState;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'started_by' })
  startedBy!: string;

  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Property({ type: new BigIntType('number') })
  recordedMs!: number;

  @Property({ type: 'datetime', nullable: true })
  runningSince!: Date | null;

  @Property({ type: 'datetime', nullable: true })
  stoppedAt!: Date | null;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'stopped_by', nullable: true })
  stoppedBy!: string | null;

  @Enum({ items: () => [...STOP_REASONS], type: 'text', nullable: true })
  stopReason!: StopReason | null;

  @Property({ type: 'text', nullable: true })
  problem!: string | null;

  /** The mode as it was at start; the mode row itself may change or go later. */
  @Property({ type: 'json', nullable: true })
  mode!: RecordingModeSnapshot | null;

  @ManyToOne({ entity: () => RecordingMode, mapToPk: true, fieldName: 'mode_id', nullable: true, deleteRule: 'set null' })
  modeId: string | null = null;
}
