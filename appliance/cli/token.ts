/**
 * Prints a sign-in token for a demo user of the embedded configuration:
 *   npm run token -- alice            (a listed demo user)
 *   npm run token -- --server regional --user zoe --name "Зоя"
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { DEMO_USERS, demoSecret, demoToken } from '../auth/demo-identities.ts';
import type { DemoUser } from '../auth/demo-identities.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { server: { type: 'string' }, user: { type: 'string' }, name: { type: 'string' } },
});

const config = loadConfig();
if (!config.demo) {
  console.error('the demo sign-in is off: this appliance uses a real database (set DEMO=true to allow it)');
  process.exit(2);
}
const key = positionals[0] ?? values.user;
let user: DemoUser | undefined = DEMO_USERS.find((u) => u.sub === key);
if (!user && values.user) {
  const server = values.server ?? 'corporate';
  if (server !== 'corporate' && server !== 'regional') {
    console.error('--server is corporate or regional');
    process.exit(2);
  }
  user = { sub: values.user, name: values.name ?? values.user, server };
}
if (!user) {
  console.error(`usage: npm run token -- <user> | --user ID [--server corporate|regional] [--name NAME]\ndemo users: ${DEMO_USERS.map((u) => `${u.sub} (${u.name}, ${u.server})`).join(', ')}`);
  process.exit(2);
}
console.log(await demoToken(await demoSecret(config.dataDir), user));
