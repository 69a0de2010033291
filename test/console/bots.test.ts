import test from 'ava';
import { AuditEntry, BotApiKey, BotxBot, BotxChat, Webhook } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { consoleAgents, form } from './helpers.ts';

const app = TestAppliance.forFile(test, import.meta.filename);
const agents = consoleAgents(app);

const WEBHOOKS = '/admin/api/resources/Webhook';
const BOTS = '/admin/api/resources/BotxBot';
const CHATS = '/admin/api/resources/BotxChat';
const KEYS = '/admin/api/resources/BotApiKey';

const HOOK_SECRET = 'hook-secret-0123456789abcdef';
const BOTX_SECRET = 'botx-secret-key-fedcba9876543210';
const BOT_ID = '8dada2c8-67a6-4434-9dec-570d244e78ee';
const CHAT_ID = 'dcfa5a7c-7cc4-4c89-b6c0-80325604f9f4';

/** A record's console audit entries, oldest first. */
async function audited(a: TestAppliance, auditName: string, id: string): Promise<AuditEntry[]> {
  return a.appliance.orm.em.fork().find(AuditEntry, { action: { $like: `console.${auditName}.%` }, details: { id } }, { orderBy: { id: 'asc' } });
}

test('a webhook is created and edited; its secret is kept on a blank field and never shown or audited', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const created = await admin
    .post(`${WEBHOOKS}/actions/new`)
    .type('form')
    .send(form({ name: 'Архив', url: 'https://archive.example.org/hooks', secret: HOOK_SECRET, 'events.0': 'recording.ready', 'events.1': 'recording.failed' }))
    .expect(200);
  t.deepEqual(created.body.record.errors, {});
  const id = created.body.record.params.id as string;
  t.like(await a.appliance.orm.em.fork().findOneOrFail(Webhook, id), { url: 'https://archive.example.org/hooks', secret: HOOK_SECRET, events: ['recording.ready', 'recording.failed'], enabled: true });

  const edited = await admin.post(`${WEBHOOKS}/records/${id}/edit`).type('form').send(form({ secret: '', 'events.0': 'recording.started', enabled: false })).expect(200);
  t.deepEqual(edited.body.record.errors, {});
  t.like(await a.appliance.orm.em.fork().findOneOrFail(Webhook, id), { secret: HOOK_SECRET, events: ['recording.started'], enabled: false });
  const newSecret = 'another-secret-0123456789';
  await admin.post(`${WEBHOOKS}/records/${id}/edit`).type('form').send(form({ secret: newSecret })).expect(200);
  t.is((await a.appliance.orm.em.fork().findOneOrFail(Webhook, id)).secret, newSecret);

  const list = await admin.get(`${WEBHOOKS}/actions/list?perPage=50`).expect(200);
  const shown = await admin.get(`${WEBHOOKS}/records/${id}/show`).expect(200);
  const entries = await audited(a, 'webhook', id);
  t.deepEqual(entries.map((e) => e.action), ['console.webhook.created', 'console.webhook.updated', 'console.webhook.updated']);
  t.is(entries[0]!.details.secret, 'set');
  t.deepEqual(entries[2]!.details.changes, { secret: 'changed' });
  for (const text of [created.body, edited.body, list.body, shown.body, entries.map((e) => e.details)].map((body) => JSON.stringify(body))) {
    t.false(text.includes(HOOK_SECRET) || text.includes(newSecret));
  }
});

test('webhook input is checked by the domain, with the message on the field', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const good = { name: 'Проверка вебхука', url: 'https://hooks.example.org/x', secret: HOOK_SECRET, 'events.0': 'recording.ready' };
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ url: 'ftp://hooks.example.org' }, 'url', /http:\/\/ or https:\/\//],
    [{ url: 'https://user:pw@hooks.example.org' }, 'url', /no user name or password/],
    [{ secret: 'short' }, 'secret', /at least 16 characters/],
    [{ 'events.0': 'recording.deleted' }, 'events', /one or more of/],
  ];
  for (const [change, field, message] of cases) {
    const res = await admin.post(`${WEBHOOKS}/actions/new`).type('form').send(form({ ...good, ...change })).expect(200);
    t.deepEqual(Object.keys(res.body.record.errors), [field], field);
    t.regex(res.body.record.errors[field].message, message);
  }
  t.is(await a.appliance.orm.em.fork().count(Webhook, { name: good.name }), 0);
});

test('a webhook with a blank name, or with its name or address cleared, is refused on that field and left as it was', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const hook = { name: 'Вебхук без пропусков', url: 'https://hooks-blank.example.org/x', secret: HOOK_SECRET, 'events.0': 'recording.ready' };
  for (const blank of ['', '   ']) {
    const refused = await admin.post(`${WEBHOOKS}/actions/new`).type('form').send(form({ ...hook, name: blank })).expect(200);
    t.deepEqual(Object.keys(refused.body.record.errors), ['name'], `new name = ${JSON.stringify(blank)}`);
  }
  const created = await admin.post(`${WEBHOOKS}/actions/new`).type('form').send(form(hook)).expect(200);
  const id = created.body.record.params.id as string;
  for (const field of ['name', 'url']) {
    for (const blank of ['', '   ', null]) {
      const edited = await admin.post(`${WEBHOOKS}/records/${id}/edit`).type('form').send(form({ [field]: blank })).expect(200);
      t.deepEqual(Object.keys(edited.body.record.errors), [field], `edit ${field} = ${JSON.stringify(blank)}`);
    }
  }
  t.like(await a.appliance.orm.em.fork().findOneOrFail(Webhook, id), { name: hook.name, url: hook.url });
});

test('a BotX bot and its chat mapping are configured; the secret key is write-only', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const created = await admin
    .post(`${BOTS}/actions/new`)
    .type('form')
    .send(form({ name: 'Express', ctsUrl: 'https://cts.example.org', botId: BOT_ID, secretKey: BOTX_SECRET }))
    .expect(200);
  t.deepEqual(created.body.record.errors, {});
  const botId = created.body.record.params.id as string;
  t.like(await a.appliance.orm.em.fork().findOneOrFail(BotxBot, botId), { ctsUrl: 'https://cts.example.org', botId: BOT_ID, secretKey: BOTX_SECRET, enabled: true });
  const edited = await admin.post(`${BOTS}/records/${botId}/edit`).type('form').send(form({ secretKey: '', ctsUrl: 'https://cts2.example.org' })).expect(200);
  t.deepEqual(edited.body.record.errors, {});
  t.like(await a.appliance.orm.em.fork().findOneOrFail(BotxBot, botId), { ctsUrl: 'https://cts2.example.org', secretKey: BOTX_SECRET });

  const list = await admin.get(`${BOTS}/actions/list`).expect(200);
  const shown = await admin.get(`${BOTS}/records/${botId}/show`).expect(200);
  const entries = await audited(a, 'botx_bot', botId);
  t.deepEqual(entries.map((e) => e.action), ['console.botx_bot.created', 'console.botx_bot.updated']);
  t.is(entries[0]!.details.secretKey, 'set');
  for (const body of [created.body, edited.body, list.body, shown.body, entries.map((e) => e.details)]) t.false(JSON.stringify(body).includes(BOTX_SECRET));

  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ ctsUrl: 'cts.example.org' }, 'ctsUrl', /by its address/],
    [{ botId: 'not-a-uuid' }, 'botId', /UUID/],
    [{ secretKey: ' ' }, 'secretKey', /secret key/],
  ];
  for (const [change, field, message] of cases) {
    const res = await admin.post(`${BOTS}/actions/new`).type('form').send(form({ name: 'Неверный', ctsUrl: 'https://cts.example.org', botId: BOT_ID, secretKey: BOTX_SECRET, ...change })).expect(200);
    t.deepEqual(Object.keys(res.body.record.errors), [field], field);
    t.regex(res.body.record.errors[field].message, message);
  }

  const user = await a.user(a.servers.corporate, 'botx-owner', 'Борис');
  const conferenceId = (await a.as(user).post('/api/conferences', { title: 'Чат в Express' }).expect(201)).body.id as string;
  const badChat = await admin.post(`${CHATS}/actions/new`).type('form').send(form({ conferenceId, botxBotId: botId, groupChatId: '42' })).expect(200);
  t.regex(badChat.body.record.errors.groupChatId.message, /group_chat_id/);
  const chat = await admin.post(`${CHATS}/actions/new`).type('form').send(form({ conferenceId, botxBotId: botId, groupChatId: CHAT_ID })).expect(200);
  t.deepEqual(chat.body.record.errors, {});
  t.like(await a.appliance.orm.em.fork().findOneOrFail(BotxChat, { conferenceId }), { botxBotId: botId, groupChatId: CHAT_ID });
  const second = await admin.post(`${CHATS}/actions/new`).type('form').send(form({ conferenceId, botxBotId: botId, groupChatId: BOT_ID })).expect(200);
  t.is(second.body.record.errors.conferenceId.message, 'alreadyTaken');
  t.truthy(await a.appliance.orm.em.fork().findOne(AuditEntry, { action: 'console.botx_chat.created', conferenceId }));
});

test('a BotX bot without its name, address, bot id or secret key is refused on that field, and nothing is written', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const bot = { name: 'Express без пропусков', ctsUrl: 'https://cts-blank.example.org', botId: BOT_ID, secretKey: BOTX_SECRET };
  const created = await admin.post(`${BOTS}/actions/new`).type('form').send(form(bot)).expect(200);
  const id = created.body.record.params.id as string;

  const messages: Record<keyof typeof bot, RegExp> = { name: /needs a name/, ctsUrl: /by its address/, botId: /UUID/, secretKey: /secret key/ };
  for (const field of Object.keys(messages) as Array<keyof typeof bot>) {
    for (const blank of ['', '   ', null]) {
      const refused = await admin.post(`${BOTS}/actions/new`).type('form').send(form({ ...bot, [field]: blank })).expect(200);
      t.deepEqual(Object.keys(refused.body.record.errors), [field], `new ${field} = ${JSON.stringify(blank)}`);
      t.regex(refused.body.record.errors[field].message, messages[field]);
    }
    const { [field]: _left, ...without } = bot;
    const missing = await admin.post(`${BOTS}/actions/new`).type('form').send(form(without)).expect(200);
    t.deepEqual(Object.keys(missing.body.record.errors), [field], `new without ${field}`);
  }
  // A blank secret key on editing keeps the current one (see blankKeepsSecret), so it is no refusal there.
  for (const field of ['name', 'ctsUrl', 'botId']) {
    for (const blank of ['', '   ', null]) {
      const edited = await admin.post(`${BOTS}/records/${id}/edit`).type('form').send(form({ [field]: blank })).expect(200);
      t.deepEqual(Object.keys(edited.body.record.errors), [field], `edit ${field} = ${JSON.stringify(blank)}`);
    }
  }
  t.like(await a.appliance.orm.em.fork().findOneOrFail(BotxBot, id), bot);
  t.is(await a.appliance.orm.em.fork().count(BotxBot, { $or: [{ name: bot.name }, { ctsUrl: bot.ctsUrl }] }), 1);
  t.deepEqual((await audited(a, 'botx_bot', id)).map((e) => e.action), ['console.botx_bot.created']);
});

test('clearing a chat mapping\'s conference, bot or chat is refused on that field, and the mapping stays', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const bot = await admin.post(`${BOTS}/actions/new`).type('form').send(form({ name: 'Express', ctsUrl: 'https://cts-clear.example.org', botId: BOT_ID, secretKey: BOTX_SECRET })).expect(200);
  const botxBotId = bot.body.record.params.id as string;
  const user = await a.user(a.servers.corporate, 'botx-clear', 'Клара');
  const conferenceId = (await a.as(user).post('/api/conferences', { title: 'Чат, который очищают' }).expect(201)).body.id as string;
  const mapping = { conferenceId, botxBotId, groupChatId: CHAT_ID };
  const chatId = (await admin.post(`${CHATS}/actions/new`).type('form').send(form(mapping)).expect(200)).body.record.params.id as string;

  const messages = { conferenceId: /choose the conference/, botxBotId: /choose the BotX bot/, groupChatId: /group_chat_id/ };
  for (const [field, message] of Object.entries(messages)) {
    for (const cleared of ['', null]) {
      const edited = await admin.post(`${CHATS}/records/${chatId}/edit`).type('form').send(form({ [field]: cleared })).expect(200);
      t.deepEqual(Object.keys(edited.body.record.errors), [field], `edit ${field} = ${String(cleared)}`);
      t.regex(edited.body.record.errors[field].message, message);
      const created = await admin.post(`${CHATS}/actions/new`).type('form').send(form({ ...mapping, [field]: cleared })).expect(200);
      t.deepEqual(Object.keys(created.body.record.errors), [field], `new ${field} = ${String(cleared)}`);
    }
  }
  t.like(await a.appliance.orm.em.fork().findOneOrFail(BotxChat, chatId), mapping);
  t.is(await a.appliance.orm.em.fork().count(BotxChat, { botxBotId }), 1);
});

test('an auditor can neither create these nor issue a key', async (t) => {
  const a = app();
  const auditor = await agents.auditor();
  await auditor.post(`${WEBHOOKS}/actions/new`).type('form').send(form({ name: 'Аудитор', url: 'https://x.example.org', secret: HOOK_SECRET, 'events.0': 'recording.ready' })).expect(403);
  await auditor.post(`${BOTS}/actions/new`).type('form').send(form({ name: 'Аудитор', ctsUrl: 'https://cts.example.org', botId: BOT_ID, secretKey: BOTX_SECRET })).expect(403);
  await auditor.post(`${KEYS}/actions/issueKey`).type('form').send(form({ name: 'Аудитор' })).expect(403);
  t.is(await a.appliance.orm.em.fork().count(Webhook, { name: 'Аудитор' }), 0);
  t.is(await a.appliance.orm.em.fork().count(BotApiKey, { name: 'Аудитор' }), 0);
});

test('a key with a blank name is refused on the name field and not issued', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const blanks = ['', '   '];
  for (const name of blanks) {
    const res = await admin.post(`${KEYS}/actions/issueKey`).type('form').send(form({ name })).expect(200);
    t.is(res.body.key, undefined);
    t.regex(res.body.record.errors.name.message, /needs a name/, JSON.stringify(name));
  }
  t.is(await a.appliance.orm.em.fork().count(BotApiKey, { name: { $in: blanks } }), 0);
});

test('an issued key is shown once, works on the status API, and stops working once deleted', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const issued = await admin.post(`${KEYS}/actions/issueKey`).type('form').send(form({ name: 'Бот статуса' })).expect(200);
  t.is(issued.body.notice.type, 'success');
  const key = issued.body.key as string;
  t.regex(key, /^rbk_/);
  const row = await a.appliance.orm.em.fork().findOneOrFail(BotApiKey, { name: 'Бот статуса' });
  t.not(row.keyHash, key);

  const duplicate = await admin.post(`${KEYS}/actions/issueKey`).type('form').send(form({ name: 'Бот статуса' })).expect(200);
  t.is(duplicate.body.record.errors.name.message, 'alreadyTaken');

  const user = await a.user(a.servers.corporate, 'status-owner', 'Вера');
  const conferenceId = (await a.as(user).post('/api/conferences', { title: 'Статус по ключу' }).expect(201)).body.id as string;
  const status = (conference: string) => a.as().get(`/api/bot/conferences/${conference}/recordings`).set('Authorization', `Bearer ${key}`);
  await status(conferenceId).expect(200);
  await status('00000000-0000-4000-8000-000000000000').expect(404);

  const list = await admin.get(`${KEYS}/actions/list`).expect(200);
  const listed = list.body.records.find((r: { id: string }) => r.id === row.id);
  t.truthy(listed.params.lastUsedAt);
  const shown = await admin.get(`${KEYS}/records/${row.id}/show`).expect(200);
  const entries = await audited(a, 'bot_api_key', row.id);
  for (const body of [list.body, shown.body, entries.map((e) => e.details)]) {
    t.false(JSON.stringify(body).includes(key));
    t.false(JSON.stringify(body).includes(row.keyHash));
  }

  const deleted = await admin.post(`${KEYS}/records/${row.id}/delete`).expect(200);
  t.is(deleted.body.notice.type, 'success');
  await status(conferenceId).expect(401);
  t.deepEqual((await audited(a, 'bot_api_key', row.id)).map((e) => e.action), ['console.bot_api_key.issued', 'console.bot_api_key.deleted']);
});
