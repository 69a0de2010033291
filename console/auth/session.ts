import path from 'node:path';
import session from 'express-session';
import type { SessionOptions } from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError } from '../../appliance/config.ts';
import { secretFromFile } from '../../appliance/access/secret-file.ts';

const SESSION_COOKIE = 'appliance_console';
const SESSION_LIFETIME_MS = 8 * 3600 * 1000;

/** From SESSION_SECRET, else made once and kept in the data directory so sign-ins survive restarts. */
export async function sessionSecret(env: NodeJS.ProcessEnv, dataDir: string): Promise<string> {
  if (env.SESSION_SECRET) {
    if (env.SESSION_SECRET.length < 32) throw new ConfigError('SESSION_SECRET', 'use at least 32 characters');
    return env.SESSION_SECRET;
  }
  return secretFromFile(path.join(dataDir, 'console-session-secret'));
}

/**
 * Session rows go through the ORM's own pool: the embedded database serves one session, and a second
 * pool would slip its statements into the ORM's open transactions.
 */
function ormQueries(orm: MikroORM) {
  return {
    async any(sql: string, params: unknown[]): Promise<unknown[]> {
      const ordered: unknown[] = [];
      const positional = sql.replace(/\$(\d+)/g, (_, n: string) => {
        ordered.push(params[Number(n) - 1]);
        return '?';
      });
      const result = await orm.em.getConnection().getKnex().raw(positional, ordered as never[]);
      return (result as { rows: unknown[] }).rows;
    },
  };
}

export function sessionOptions(orm: MikroORM, secret: string): SessionOptions & { secret: string; name: string } {
  const PgStore = connectPgSimple(session);
  return {
    // The table comes from a migration; expired rows are pruned at each sign-in instead of on a timer.
    store: new PgStore({ pgPromise: ormQueries(orm), tableName: 'console_sessions', createTableIfMissing: false, pruneSessionInterval: false }),
    secret,
    name: SESSION_COOKIE,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_LIFETIME_MS },
  };
}
