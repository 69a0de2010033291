import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { Recording } from './recording.ts';

/** A recording retention must not delete, whatever its policy says, until the hold is lifted (the row deleted). */
@Entity({ tableName: 'legal_holds' })
export class LegalHold {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Recording, mapToPk: true, fieldName: 'recording_id', deleteRule: 'cascade', unique: true })
  recordingId!: string;

  @Property({ type: 'text' })
  reason!: string;

  /** Who placed it, as the console knows them. */
  @Property({ type: 'text' })
  placedBy!: string;

  @Property({ type: 'datetime' })
  placedAt: Opt<Date> = new Date();
}
