import { MikroORM } from '@mikro-orm/postgresql';
import type { Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities/index.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface OrmOptions {
  databaseUrl: string;
  /** Connections in the pool; the embedded database serialises on one. */
  poolSize?: number;
  /** PostgreSQL cancels a statement that runs longer; unset leaves the server's own setting. */
  statementTimeoutSeconds?: number;
  debug?: boolean;
}

export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize ?? 10 },
    ...(options.statementTimeoutSeconds ? { driverOptions: { connection: { statement_timeout: options.statementTimeoutSeconds * 1000 } } } : {}),
    // Entities are declared with explicit types: tsx emits no decorator metadata.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    migrations: {
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      path: 'appliance/db/migrations',
      pathTs: 'appliance/db/migrations',
    },
    forceUtcTimezone: true,
    debug: options.debug ?? false,
    allowGlobalContext: false,
  };
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

/** Applies every committed migration not yet applied; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  // A migration may rewrite a large table, so it runs on connections of its own, free of the
  // statement timeout that everyday queries are held to.
  const migrating = await MikroORM.init({ ...orm.config.getAll(), driverOptions: {}, pool: { min: 0, max: 1 } });
  try {
    const applied = await migrating.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await migrating.close();
  }
}
