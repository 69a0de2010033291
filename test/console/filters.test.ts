/**
 * List filters through the console as a read-only auditor: the properties each list's filter offers
 * work, and a filter on anything else — token keys, webhook and BotX secrets, key hashes — is
 * refused rather than answered with a row count that would give a secret away a prefix at a time.
 */
import test from 'ava';
import crypto from 'node:crypto';
import { BotApiKey, BotxBot, Webhook } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { consoleAgents } from './helpers.ts';

const app = TestAppliance.forFile(test, import.meta.filename);
const agents = consoleAgents(app);

const list = (resource: string, filters: Record<string, string>) =>
  `/admin/api/resources/${resource}/actions/list?${new URLSearchParams(Object.entries(filters).map(([name, value]) => [`filters.${name}`, value]))}`;

let seeded: Promise<void> | undefined;

/** A webhook and a BotX bot with secrets to probe for, made once for the file. */
function seed(): Promise<void> {
  seeded ??= (async () => {
    const em = app().appliance.orm.em.fork();
    em.create(Webhook, { id: crypto.randomUUID(), name: 'Архив', url: 'https://archive.example.org/hooks', secret: 'hook-secret-0123456789abcdef', events: ['recording.ready'], enabled: true, createdAt: new Date() } as never);
    em.create(BotxBot, { id: crypto.randomUUID(), name: 'Бот записи', ctsUrl: 'https://cts.example.org', botId: crypto.randomUUID(), secretKey: 'botx-secret-key-fedcba9876543210', enabled: true, createdAt: new Date() } as never);
    await em.flush();
  })();
  return seeded;
}

test('an auditor filters by what the filter offers', async (t) => {
  await seed();
  const auditor = await agents.auditor();
  const servers = await auditor.get(list('MessengerServer', { name: 'Головной' })).expect(200);
  t.is(servers.body.meta.total, 1);
  const hooks = await auditor.get(list('Webhook', { name: 'Архив' })).expect(200);
  t.is(hooks.body.meta.total, 1);
});

test('an auditor\'s filter on a secret or hidden property is refused, whatever it matches', async (t) => {
  const a = app();
  await seed();
  const auditor = await agents.auditor();
  const keyHash = (await a.appliance.orm.em.fork().find(BotApiKey, {}))[0]?.keyHash ?? 'x';
  const probes: Array<[string, string, string]> = [
    ['MessengerServer', 'tokenKey', a.servers.corporate.secret.slice(0, 3)],
    ['Webhook', 'secret', 'hook-'],
    ['BotxBot', 'secretKey', 'botx-'],
    ['BotApiKey', 'keyHash', keyHash.slice(0, 3)],
  ];
  for (const [resource, property, prefix] of probes) {
    for (const value of [prefix, 'no-such-prefix']) {
      const res = await auditor.get(list(resource, { [property]: value }));
      t.is(res.status, 403, `${resource}.${property}=${value}`);
      t.is(res.body.error?.code, 'forbidden', `${resource}.${property}`);
      t.regex(res.body.error?.message ?? '', new RegExp(`Фильтр по полю «${property}» недоступен`));
    }
  }
});
