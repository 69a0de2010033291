import { BigIntType, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Recording } from './recording.ts';
import { RetentionPolicy } from './retention-policy.ts';

/** Retention deleted this recording's files; the recording and its file list stay on record. */
@Entity({ tableName: 'recording_expiries' })
export class RecordingExpiry {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Recording, mapToPk: true, fieldName: 'recording_id', deleteRule: 'cascade', unique: true })
  recordingId!: string;

  @Property({ type: 'datetime' })
  filesDeletedAt!: Date;

  @ManyToOne({ entity: () => RetentionPolicy, mapToPk: true, fieldName: 'policy_id', nullable: true, deleteRule: 'set null' })
  policyId!: string | null;

  /** The policy's period at the time, kept even when the policy changes or goes. */
  @Property({ type: 'integer' })
  keepDays!: number;

  @Property({ type: 'integer' })
  fileCount!: number;

  @Property({ type: new BigIntType('number') })
  bytesFreed!: number;
}
