import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { ConsoleRole } from '../../domain/console.ts';
import { CONSOLE_ROLES } from '../../domain/console.ts';

/** Someone who signs in to the administration console (not a messenger user). */
@Entity({ tableName: 'console_users' })
export class ConsoleUser {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** Lower-cased, see normaliseConsoleEmail. */
  @Property({ type: 'text' })
  @Unique()
  email!: string;

  /** bcrypt, cost 12. */
  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Enum({ items: () => [...CONSOLE_ROLES], type: 'text' })
  role!: ConsoleRole;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt: Date | null = null;
}
