/**
 * Creates a console user, or sets an existing one's password and role (and signs them out):
 *   npm run console:admin -- --email admin@example.org --password 'long passphrase 2026'
 *   npm run console:admin -- --email audit@example.org --role auditor   (password read from stdin)
 */
import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import { ConfigError, loadConfig } from '../config.ts';
import { EmbeddedDatabase } from '../db/embedded-database.ts';
import { migrate, openOrm } from '../db/orm.ts';
import { CONSOLE_ROLES } from '../domain/console.ts';
import type { ConsoleRole } from '../domain/console.ts';
import { DomainError } from '../domain/errors.ts';
import { saveConsoleUser } from '../../console/auth/console-users.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', default: 'admin' } } });
if (!values.email) fail('usage: npm run console:admin -- --email ADDRESS [--password PASSWORD] [--role admin|auditor]\nwithout --password, the password is read from stdin');
const role = values.role as ConsoleRole;
if (!CONSOLE_ROLES.includes(role)) fail(`--role is one of: ${CONSOLE_ROLES.join(', ')}`);
const password = values.password ?? (await text(process.stdin)).replace(/\r?\n$/, '');

let config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
// The embedded database is a folder only one process may open: not while the appliance runs on it.
if (!config.databaseUrl) {
  const running = await fetch(`http://127.0.0.1:${config.port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
  if (running) fail(`the appliance is running on port ${config.port} with the embedded database: stop it, run this again, then start it`);
}
const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.start(`${config.dataDir}/pglite`);
const orm = await openOrm({ databaseUrl: config.databaseUrl ?? embedded!.url, poolSize: 1 });
try {
  await migrate(orm);
  const outcome = await saveConsoleUser(orm, { email: values.email, password, role });
  console.log(`${outcome === 'created' ? 'created' : 'updated'} console ${role} ${values.email.trim().toLowerCase()}; sign in at ${config.publicUrl}/admin`);
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  process.exitCode = 2;
  console.error(error.message);
} finally {
  await orm.close();
  await embedded?.stop();
}
