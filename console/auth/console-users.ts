import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ConsoleRole } from '../../appliance/domain/console.ts';
import { normaliseConsoleEmail, validateConsolePassword } from '../../appliance/domain/console.ts';
import { ConsoleSession, ConsoleUser } from '../../appliance/db/entities/index.ts';

const BCRYPT_COST = 12;

/** Who is signed in, as the console's session keeps it. */
export interface ConsoleAdmin {
  id: string;
  email: string;
  role: ConsoleRole;
}

let unknownUserHash: Promise<string> | undefined;

/**
 * Checks an address and password. An unknown address is checked against a throwaway hash too, so the
 * answer takes as long as for a known one and does not tell which addresses exist.
 */
export async function authenticateConsoleUser(orm: MikroORM, email: unknown, password: unknown): Promise<ConsoleAdmin | null> {
  if (typeof email !== 'string' || typeof password !== 'string') return null;
  const em = orm.em.fork();
  const user = await em.findOne(ConsoleUser, { email: email.trim().toLowerCase() });
  unknownUserHash ??= bcrypt.hash(crypto.randomBytes(16).toString('hex'), BCRYPT_COST);
  const matches = await bcrypt.compare(password, user?.passwordHash ?? (await unknownUserHash));
  if (!user || !matches) return null;
  user.lastLoginAt = new Date();
  await em.flush();
  return { id: user.id, email: user.email, role: user.role };
}

/**
 * Creates a console user, or sets the password and role of an existing one and signs them out
 * everywhere, so that a changed password or a lowered role takes effect at once.
 */
export async function saveConsoleUser(orm: MikroORM, input: { email: unknown; password: unknown; role: ConsoleRole }): Promise<'created' | 'updated'> {
  const email = normaliseConsoleEmail(input.email);
  validateConsolePassword(input.password, email);
  const passwordHash = await bcrypt.hash(input.password as string, BCRYPT_COST);
  return orm.em.fork().transactional(async (em) => {
    const existing = await em.findOne(ConsoleUser, { email });
    if (!existing) {
      em.create(ConsoleUser, { id: crypto.randomUUID(), email, passwordHash, role: input.role });
      return 'created';
    }
    existing.passwordHash = passwordHash;
    existing.role = input.role;
    await em.nativeDelete(ConsoleSession, { sess: { adminUser: { id: existing.id } } });
    return 'updated';
  });
}
