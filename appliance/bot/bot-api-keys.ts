import crypto from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { BotApiKey } from '../db/entities/index.ts';
import { UnauthenticatedError } from '../auth/errors.ts';
import { normaliseBotApiKeyName } from '../domain/index.ts';

/** Keys read `rbk_…`, so that neither a person nor the appliance mistakes one for a user token. */
export const BOT_API_KEY_PREFIX = 'rbk_';

export function hashBotApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

/** Chat bots' keys to the status API: issued once in clear, kept as a hash, switched off by `enabled`. */
export class BotApiKeys {
  readonly #orm: MikroORM;
  readonly #clock: () => Date;

  constructor(orm: MikroORM, clock: () => Date) {
    this.#orm = orm;
    this.#clock = clock;
  }

  /** The key in clear is in the answer only: store it in the bot's configuration. */
  async issue(requestedName: string): Promise<{ id: string; name: string; key: string }> {
    const name = normaliseBotApiKeyName(requestedName);
    const key = `${BOT_API_KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    const em = this.#orm.em.fork();
    const row = em.create(BotApiKey, { id: crypto.randomUUID(), name, keyHash: hashBotApiKey(key), createdAt: this.#clock() });
    await em.flush();
    return { id: row.id, name, key };
  }

  async authenticate(key: string | undefined): Promise<BotApiKey> {
    if (!key) throw new UnauthenticatedError('this API is for chat bots: send the bot API key as "Authorization: Bearer rbk_…"');
    if (!key.startsWith(BOT_API_KEY_PREFIX)) throw new UnauthenticatedError('this API takes a bot API key (rbk_…), not a user token');
    const em = this.#orm.em.fork();
    const row = await em.findOne(BotApiKey, { keyHash: hashBotApiKey(key) });
    if (!row) throw new UnauthenticatedError('this bot API key is not known to the appliance');
    if (!row.enabled) throw new UnauthenticatedError(`the bot API key "${row.name}" has been switched off`);
    const now = this.#clock();
    // Once a minute is precise enough for "last used", and spares a write per poll.
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      row.lastUsedAt = now;
      await em.flush();
    }
    return row;
  }
}
