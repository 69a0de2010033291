import test from 'ava';
import { TestAppliance } from '../helpers/test-appliance.ts';

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
