import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A console sign-in, kept in the database so that it survives restarts. connect-pg-simple reads and
 * writes the rows; the entity only declares the table so that migrations create it.
 */
@Entity({ tableName: 'console_sessions' })
export class ConsoleSession {
  @PrimaryKey({ type: 'text' })
  sid!: string;

  @Property({ type: 'json' })
  sess!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  @Index()
  expire!: Date;
}
