/**
 * roles/postgresql for real against the running PostgreSQL, with a throw-away database and user
 * that are dropped afterwards: creates both, a second run changes nothing (the password is not
 * re-set), and the appliance role's migration count reads MikroORM's table.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, describe, opsDir, recap, rolesDir, run, scratchDir } from './helpers.ts';

const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const dbName = `ops_test_db_${suffix}`;
const dbUser = `ops_test_user_${suffix}`;
const dbPassword = `pw-${randomBytes(9).toString('base64url')}`;

/** SQL as the postgres superuser over the local socket. */
function superuserSql(sql: string) {
  return run('runuser', ['-u', 'postgres', '--', 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { cwd: '/' });
}

test.after.always(async () => {
  await superuserSql(`DROP DATABASE IF EXISTS ${dbName}`);
  await superuserSql(`DROP ROLE IF EXISTS ${dbUser}`);
});

test('the postgresql role creates the database and user once; the migration count reads MikroORM\'s table', async (t) => {
  const ready = await run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']);
  t.is(ready.code, 0, 'PostgreSQL is not running at 127.0.0.1:5432 (.ci/run and scripts/setup.sh --test start it)');
  if (ready.code !== 0) return;

  const scratch = scratchDir('ops-postgresql');
  t.teardown(scratch.remove);
  const varsFile = path.join(scratch.dir, 'vars.json');
  writeFileSync(varsFile, JSON.stringify({
    roles_dir: rolesDir,
    appliance_db_name: dbName,
    appliance_db_user: dbUser,
    appliance_db_password: dbPassword,
    appliance_manage_services: false,
    ansible_become_method: 'su',
  }));
  const play = () => run(
    'ansible-playbook',
    ['-i', 'localhost,', '-c', 'local', path.join(opsDir, 'postgresql-role.yml'), '-e', `@${varsFile}`],
    { env: ansibleEnv() },
  );

  const first = await play();
  t.is(first.code, 0, describe(first));
  t.is(recap(first.stdout)?.changed, 2, describe(first));
  t.regex(first.stdout, /"msg": "migrations=0"/, describe(first));

  const owner = await superuserSql(`SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${dbName}'`);
  t.is(owner.stdout.trim(), dbUser, describe(owner));

  const table = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', dbUser, '-d', dbName, '-c',
    'CREATE TABLE public.mikro_orm_migrations (id serial PRIMARY KEY, name varchar(255), executed_at timestamptz DEFAULT now()); ' +
    "INSERT INTO public.mikro_orm_migrations (name) VALUES ('Migration1'), ('Migration2');"], {
    env: { ...process.env, PGPASSWORD: dbPassword },
  });
  t.is(table.code, 0, describe(table));

  const second = await play();
  t.is(second.code, 0, describe(second));
  t.is(recap(second.stdout)?.changed, 0, `second run changed something:\n${describe(second)}`);
  t.regex(second.stdout, /"msg": "migrations=2"/, describe(second));
});
