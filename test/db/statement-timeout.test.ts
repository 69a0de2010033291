import test from 'ava';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { migrate, ormConfig } from '../../appliance/db/orm.ts';
import { MIGRATIONS } from '../../appliance/db/migrations/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

const app = TestAppliance.forFile(test, import.meta.filename, { environment: { DATABASE_STATEMENT_TIMEOUT_SECONDS: '1' } });

test('a statement that runs past DATABASE_STATEMENT_TIMEOUT_SECONDS is cancelled by PostgreSQL', async (t) => {
  const connection = app().appliance.orm.em.fork().getConnection();
  const started = Date.now();
  const error = await t.throwsAsync(connection.execute('select pg_sleep(5)'));
  t.regex(error!.message, /canceling statement due to statement timeout/);
  t.true(Date.now() - started < 4000, `cancelled after ${Date.now() - started} ms`);
  t.deepEqual(await connection.execute('select 1 as ok'), [{ ok: 1 }], 'the connection is still good for the next statement');
});

test('the setting is checked at start: a bad value names it', async (t) => {
  const { loadConfig } = await import('../../appliance/config.ts');
  t.throws(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '0' }), { message: /DATABASE_STATEMENT_TIMEOUT_SECONDS: expected a whole number from 1/ });
  t.is(loadConfig({}).databaseStatementTimeoutSeconds, 30);
});

/** Stands for a migration that rewrites a large table: longer than any everyday statement may take. */
class SlowMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('select pg_sleep(2);');
  }
}

test('migrations are not held to the statement timeout: one that outlasts it still applies', async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const base = ormConfig({ databaseUrl: database.url, poolSize: 2, statementTimeoutSeconds: 1 });
  const orm = await MikroORM.init({ ...base, migrations: { ...base.migrations, migrationsList: [...MIGRATIONS, { name: 'Migration99990101000000_slow', class: SlowMigration }] } });
  try {
    t.true((await migrate(orm)).includes('Migration99990101000000_slow'));
    await t.throwsAsync(orm.em.getConnection().execute('select pg_sleep(2)'), { message: /statement timeout/ }, 'everyday statements keep their limit');
  } finally {
    await orm.close();
    await database.drop();
  }
});
