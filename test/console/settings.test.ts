import crypto from 'node:crypto';
import test from 'ava';
import { AuditEntry, MessengerServer, RecordingMode, RetentionPolicy } from '../../appliance/db/entities/index.ts';
import { signUserToken } from '../../appliance/auth/user-token.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { consoleAgents, form } from './helpers.ts';

const app = TestAppliance.forFile(test, import.meta.filename);
const agents = consoleAgents(app);

const MODES = '/admin/api/resources/RecordingMode';
const HD = { name: 'Full HD', kind: 'composite', width: 1920, height: 1080, fps: 30, videoBitrateKbps: 4000, container: 'mp4', audioCodec: 'aac', onlyConsenting: false, isDefault: false };

async function defaults(a: TestAppliance): Promise<string[]> {
  return (await a.appliance.orm.em.fork().find(RecordingMode, { isDefault: true })).map((m) => m.name);
}

test('modes are listed, created and edited through the console, each change in the audit log', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const list = await admin.get(`${MODES}/actions/list`).expect(200);
  const names = list.body.records.map((r: { params: { name: string } }) => r.params.name);
  for (const standard of ['Общая запись 720p', 'Отдельные дорожки', 'Только звук']) t.true(names.includes(standard), standard);

  const created = await admin.post(`${MODES}/actions/new`).type('form').send(form({ ...HD, name: 'Full HD (создан)' })).expect(200);
  t.is(created.body.notice.type, 'success');
  t.deepEqual(created.body.record.errors, {});
  const id = created.body.record.params.id as string;
  const mode = await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, id);
  t.like(mode, { width: 1920, height: 1080, fps: 30, kind: 'composite', onlyConsenting: false, isDefault: false });

  const edited = await admin.post(`${MODES}/records/${id}/edit`).type('form').send(form({ ...HD, name: 'Full HD (создан)', fps: 25, onlyConsenting: true })).expect(200);
  t.is(edited.body.notice.type, 'success');
  t.like(await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, id), { fps: 25, onlyConsenting: true });

  const entries = await a.appliance.orm.em.fork().find(AuditEntry, { action: { $like: 'console.recording_mode.%' }, details: { id } }, { orderBy: { id: 'asc' } });
  t.deepEqual(entries.map((e) => e.action), ['console.recording_mode.created', 'console.recording_mode.updated']);
  t.regex(entries[0]!.actorName!, /^admin-.*@example\.org$/);
  t.like(entries[0]!.details, { name: 'Full HD (создан)', width: 1920, height: 1080 });
  t.deepEqual(entries[1]!.details.changes, { fps: { from: 30, to: 25 }, onlyConsenting: { from: false, to: true } });
});

test('impossible settings are refused with the message on the field at fault, and nothing is saved', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ height: 1081 }, 'height', /even/],
    [{ width: 100 }, 'width', /160 to 3840/],
    [{ fps: '' }, 'fps', /frame rate/],
    [{ videoBitrateKbps: 100 }, 'videoBitrateKbps', /too low for 1920×1080 at 30 fps/],
    [{ container: 'avi' }, 'container', /mp4, mkv/],
    [{ name: '  ' }, 'name', /1 to 100 characters/],
  ];
  for (const [change, field, message] of cases) {
    const res = await admin.post(`${MODES}/actions/new`).type('form').send(form({ ...HD, name: `Неверный ${field}`, ...change } as typeof HD)).expect(200);
    t.is(res.body.notice.type, 'error', field);
    t.deepEqual(Object.keys(res.body.record.errors), [field]);
    t.regex(res.body.record.errors[field].message, message);
  }
  const duplicate = await admin.post(`${MODES}/actions/new`).type('form').send(form({ ...HD, name: 'Только звук' })).expect(200);
  t.is(duplicate.body.record.errors.name.message, 'alreadyTaken');
  t.is(await a.appliance.orm.em.fork().count(RecordingMode, { name: { $like: 'Неверный%' } }), 0);

  const existing = await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, { name: 'Только звук' });
  const badEdit = await admin.post(`${MODES}/records/${existing.id}/edit`).type('form').send(form({ width: 1279 })).expect(200);
  t.is(badEdit.body.record.errors.width.message, 'the width must be even');
  t.is((await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, existing.id)).width, existing.width);
});

// The default is one for the whole appliance: the tests that move it or lean on it run one at a time.
test.serial('making a mode the default takes it from the previous one in the same change; the default cannot just be switched off', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const em = a.appliance.orm.em.fork();
  const before = await em.findOneOrFail(RecordingMode, { isDefault: true });
  const separate = await em.findOneOrFail(RecordingMode, { name: 'Отдельные дорожки' });

  const res = await admin.post(`${MODES}/records/${separate.id}/edit`).type('form').send(form({ isDefault: true })).expect(200);
  t.is(res.body.notice.type, 'success');
  t.deepEqual(await defaults(a), ['Отдельные дорожки']);
  const entry = await a.appliance.orm.em.fork().findOneOrFail(AuditEntry, { action: 'console.recording_mode.updated', details: { id: separate.id } });
  t.deepEqual(entry.details.defaultBefore, [before.name]);

  const created = await admin.post(`${MODES}/actions/new`).type('form').send(form({ ...HD, name: 'Новый по умолчанию', isDefault: true })).expect(200);
  t.deepEqual(created.body.record.errors, {});
  t.deepEqual(await defaults(a), ['Новый по умолчанию']);

  const off = await admin.post(`${MODES}/records/${created.body.record.params.id}/edit`).type('form').send(form({ isDefault: false })).expect(200);
  t.regex(off.body.record.errors.isDefault.message, /make another mode the default instead/);
  t.deepEqual(await defaults(a), ['Новый по умолчанию']);
});

test.serial('a mode in use cannot be deleted, with the reason; an unused one can', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const em = a.appliance.orm.em.fork();
  const theDefault = await em.findOneOrFail(RecordingMode, { isDefault: true });
  const refusedDefault = await admin.post(`${MODES}/records/${theDefault.id}/delete`).expect(200);
  t.is(refusedDefault.body.notice.type, 'error');
  t.regex(refusedDefault.body.notice.message, /is the default mode: make another mode the default first/);

  const created = await admin.post(`${MODES}/actions/new`).type('form').send(form({ ...HD, name: 'Для партнёра' })).expect(200);
  const id = created.body.record.params.id as string;
  const server = await em.findOneOrFail(MessengerServer, a.servers.otherCorporate.id);
  server.defaultModeId = id;
  await em.flush();
  const refusedServer = await admin.post(`${MODES}/records/${id}/delete`).expect(200);
  t.regex(refusedServer.body.notice.message, /default mode of the server\(s\) «Партнёр»/);

  server.defaultModeId = null;
  await em.flush();
  const user = await a.user(a.servers.otherCorporate, 'petr', 'Пётр');
  server.defaultModeId = id;
  await em.flush();
  const conference = (await a.as(user).post('/api/conferences', { title: 'Идёт запись' }).expect(201)).body.id;
  await a.as(user).post(`/api/conferences/${conference}/recording/start`).expect(200);
  server.defaultModeId = null;
  await em.flush();
  const refusedLive = await admin.post(`${MODES}/records/${id}/delete`).expect(200);
  t.regex(refusedLive.body.notice.message, /in use by 1 recording\(s\) under way/);
  t.is(await a.appliance.orm.em.fork().count(RecordingMode, id), 1);

  await a.as(user).post(`/api/conferences/${conference}/recording/stop`).expect(200);
  await a.appliance.finisher.settle();
  const deleted = await admin.post(`${MODES}/records/${id}/delete`).expect(200);
  t.is(deleted.body.notice.type, 'success');
  t.is(await a.appliance.orm.em.fork().count(RecordingMode, id), 0);
  t.truthy(await a.appliance.orm.em.fork().findOne(AuditEntry, { action: 'console.recording_mode.deleted', details: { id } }));
});

const SERVERS = '/admin/api/resources/MessengerServer';

test('a server is added with its rules, its token key works at once and is never shown or audited', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const key = crypto.randomBytes(24).toString('hex');
  const mode = await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, { kind: 'audio-only' });
  const created = await admin
    .post(`${SERVERS}/actions/new`)
    .type('form')
    .send(form({ name: 'Филиал', kind: 'regional', tokenKey: key, downloadPolicy: 'participants', defaultModeId: mode.id }))
    .expect(200);
  t.is(created.body.notice.type, 'success');
  t.false(JSON.stringify(created.body).includes(key));
  const id = created.body.record.params.id as string;
  // A regional server's users may not control recording unless the console says so (the domain's default).
  t.like(await a.appliance.orm.em.fork().findOneOrFail(MessengerServer, id), { kind: 'regional', mayControlRecording: false, downloadPolicy: 'participants', defaultModeId: mode.id, tokenKey: key });

  const token = await signUserToken({ sub: 'zoe', name: 'Зоя', server: id }, key);
  await a.as({ name: 'Зоя', token, server: { id, name: 'Филиал', secret: key } }).get('/api/me').expect(200);

  const list = await admin.get(`${SERVERS}/actions/list?perPage=50`).expect(200);
  const shown = await admin.get(`${SERVERS}/records/${id}/show`).expect(200);
  t.false(JSON.stringify(list.body).includes(key));
  t.false(JSON.stringify(shown.body).includes(key));
  const entry = await a.appliance.orm.em.fork().findOneOrFail(AuditEntry, { action: 'console.server.created', details: { id } });
  t.is(entry.details.tokenKey, 'set');
  t.false(JSON.stringify(entry.details).includes(key));
});

test('editing keeps the token key when the field is left blank and replaces it when filled; rules change', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const { id, secret } = a.servers.otherCorporate;
  const unchanged = await admin.post(`${SERVERS}/records/${id}/edit`).type('form').send(form({ tokenKey: '', mayControlRecording: false, downloadPolicy: 'same-server' })).expect(200);
  t.is(unchanged.body.notice.type, 'success');
  t.like(await a.appliance.orm.em.fork().findOneOrFail(MessengerServer, id), { tokenKey: secret, mayControlRecording: false, downloadPolicy: 'same-server' });

  const newKey = crypto.randomBytes(24).toString('hex');
  await admin.post(`${SERVERS}/records/${id}/edit`).type('form').send(form({ tokenKey: newKey })).expect(200);
  t.is((await a.appliance.orm.em.fork().findOneOrFail(MessengerServer, id)).tokenKey, newKey);

  const entries = await a.appliance.orm.em.fork().find(AuditEntry, { action: 'console.server.updated', details: { id } }, { orderBy: { id: 'asc' } });
  t.deepEqual(entries[0]!.details.changes, { mayControlRecording: { from: true, to: false }, downloadPolicy: { from: 'anyone-with-link', to: 'same-server' } });
  t.deepEqual(entries[1]!.details.changes, { tokenKey: 'changed' });
  t.false(JSON.stringify(entries).includes(newKey) || JSON.stringify(entries).includes(secret));
});

test('server input is checked by the domain, with the message on the field', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const good = { name: 'Проверка', kind: 'corporate', tokenKey: 'k'.repeat(40) };
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ name: '' }, 'name', /1 to 200 characters/],
    [{ kind: 'federal' }, 'kind', /corporate, regional/],
    [{ downloadPolicy: 'everyone' }, 'downloadPolicy', /anyone-with-link, participants, same-server/],
    [{ tokenKey: 'short' }, 'tokenKey', /at least 32 characters/],
    [{ tokenKey: '' }, 'tokenKey', /required/],
    [{ tokenKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----' }, 'tokenKey', /public key/],
    [{ name: 'Головной офис' }, 'name', /alreadyTaken/],
  ];
  for (const [change, field, message] of cases) {
    const res = await admin.post(`${SERVERS}/actions/new`).type('form').send(form({ ...good, ...change })).expect(200);
    t.deepEqual(Object.keys(res.body.record.errors), [field], field);
    t.regex(res.body.record.errors[field].message, message);
  }
  t.is(await a.appliance.orm.em.fork().count(MessengerServer, { name: 'Проверка' }), 0);
});

test('a server whose users the appliance knows cannot be deleted; an unused one can', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const user = await a.user(a.servers.regional, 'rita', 'Рита');
  await a.as(user).get('/api/me').expect(200);
  const refused = await admin.post(`${SERVERS}/records/${a.servers.regional.id}/delete`).expect(200);
  t.is(refused.body.notice.type, 'error');
  t.regex(refused.body.notice.message, /has 1 user\(s\) known to the appliance/);

  const created = await admin.post(`${SERVERS}/actions/new`).type('form').send(form({ name: 'Ошибочный', kind: 'corporate', tokenKey: 'x'.repeat(32) })).expect(200);
  const id = created.body.record.params.id as string;
  const deleted = await admin.post(`${SERVERS}/records/${id}/delete`).expect(200);
  t.is(deleted.body.notice.type, 'success');
  t.is(await a.appliance.orm.em.fork().count(MessengerServer, id), 0);
  t.truthy(await a.appliance.orm.em.fork().findOne(AuditEntry, { action: 'console.server.deleted', details: { id, name: 'Ошибочный' } }));
});

const POLICIES = '/admin/api/resources/RetentionPolicy';

test('retention policies are created through the console with the domain checking scope, target and days', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const cases: Array<[Record<string, string | number>, string, RegExp]> = [
    [{ scope: 'server' }, 'serverId', /names its server/],
    [{ scope: 'global', serverId: a.servers.corporate.id }, 'serverId', /names no server/],
    [{ keepDays: 0 }, 'keepDays', /from 1 to/],
    [{ action: 'archive' }, 'action', /delete-files, delete-recording/],
  ];
  for (const [change, field, message] of cases) {
    const res = await admin.post(`${POLICIES}/actions/new`).type('form').send(form({ name: 'Неверная', scope: 'global', keepDays: 30, action: 'delete-files', ...change })).expect(200);
    t.deepEqual(Object.keys(res.body.record.errors), [field], field);
    t.regex(res.body.record.errors[field].message, message);
  }
  const created = await admin
    .post(`${POLICIES}/actions/new`)
    .type('form')
    .send(form({ name: 'Партнёр: 90 дней', scope: 'server', serverId: a.servers.otherCorporate.id, modeId: '', keepDays: 90, action: 'delete-recording' }))
    .expect(200);
  t.deepEqual(created.body.record.errors, {});
  const policy = await a.appliance.orm.em.fork().findOneOrFail(RetentionPolicy, created.body.record.params.id);
  t.like(policy, { scope: 'server', serverId: a.servers.otherCorporate.id, modeId: null, keepDays: 90, action: 'delete-recording', enabled: true });
  t.truthy(await a.appliance.orm.em.fork().findOne(AuditEntry, { action: 'console.retention_policy.created', details: { id: policy.id } }));
});

