import test from 'ava';
import request from 'supertest';
import { AuditEntry, ConsoleSession, ConsoleUser, RecordingMode } from '../../appliance/db/entities/index.ts';
import { saveConsoleUser } from '../../console/auth/console-users.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { consoleAccount, consoleAgents, finishedRecording, form, signedIn } from './helpers.ts';

const app = TestAppliance.forFile(test, import.meta.filename);
const agents = consoleAgents(app);

test('the console asks to sign in; the login page is in Russian', async (t) => {
  const a = app();
  await request(a.url).get('/admin').expect(302).expect('Location', '/admin/login');
  await request(a.url).get('/admin/api/resources/RecordingMode/actions/list').expect(302).expect('Location', '/admin/login');
  const page = await request(a.url).get('/admin/login').expect(200);
  t.regex(page.text, /<html lang=ru>/);
  t.regex(page.text, /"Login":\{"welcomeHeader":"Консоль записи"/);
});

test('a wrong password is refused, the right one signs in with a session kept in PostgreSQL', async (t) => {
  const a = app();
  const account = await consoleAccount(a, 'admin');
  const refused = await request(a.url).post('/admin/login').type('form').send({ email: account.email, password: 'Wrong password 1' });
  t.not(refused.status, 302);
  t.regex(refused.text, /"errorMessage":"invalidCredentials"/);
  const unknown = await request(a.url).post('/admin/login').type('form').send({ email: 'nobody@example.org', password: account.password });
  t.regex(unknown.text, /"errorMessage":"invalidCredentials"/);

  const agent = await signedIn(a, { email: account.email.toUpperCase(), password: account.password });
  await agent.get('/admin/api/resources/RecordingMode/actions/list').expect(200);
  const em = a.appliance.orm.em.fork();
  const user = await em.findOneOrFail(ConsoleUser, { email: account.email });
  t.truthy(user.lastLoginAt);
  t.true((await em.count(ConsoleSession, { sess: { adminUser: { id: user.id } } })) >= 1);
  const entry = await em.findOneOrFail(AuditEntry, { action: 'console.signed_in', actorName: account.email });
  t.deepEqual(entry.details, { role: 'admin' });

  await agent.get('/admin/logout').expect(302).expect('Location', '/admin/login');
  await agent.get('/admin/api/resources/RecordingMode/actions/list').expect(302);
});

test('five failed sign-ins for an address from one place: the sixth try is refused with 429, even with the right password', async (t) => {
  const a = app();
  const account = await consoleAccount(a, 'admin');
  for (let i = 0; i < 5; i += 1) {
    const res = await request(a.url).post('/admin/login').type('form').send({ email: account.email, password: `Wrong password ${i}` });
    t.is(res.status, 200);
  }
  const blocked = await request(a.url).post('/admin/login').type('form').send({ email: account.email, password: account.password }).expect(429);
  t.regex(blocked.text, /"errorMessage":"tooManyLoginAttempts"/);
  t.regex(blocked.text, /Слишком много неудачных попыток входа/);
  t.true(Number(blocked.headers['retry-after']) > 14 * 60);
  // Another address is not held up by them.
  await signedIn(a, await consoleAccount(a, 'auditor'));
});

test('a changed password signs the user out everywhere; weak passwords are refused with the reason', async (t) => {
  const a = app();
  const account = await consoleAccount(a, 'admin');
  const agent = await signedIn(a, account);
  await saveConsoleUser(a.appliance.orm, { email: account.email, password: 'A new pass phrase 9', role: 'admin' });
  await agent.get('/admin/api/resources/RecordingMode/actions/list').expect(302).expect('Location', '/admin/login');
  await t.throwsAsync(saveConsoleUser(a.appliance.orm, { email: 'x@example.org', password: 'short', role: 'admin' }), { message: /at least 12 characters/ });
  await t.throwsAsync(saveConsoleUser(a.appliance.orm, { email: 'x@example.org', password: 'onlylowercaseletters', role: 'admin' }), { message: /three of/ });
  await t.throwsAsync(saveConsoleUser(a.appliance.orm, { email: 'not an address', password: 'A good pass phrase 1', role: 'admin' }), { message: /e-mail address/ });
});

const MODE = { name: 'Аудитор не создаст', kind: 'composite', width: 1280, height: 720, fps: 25, videoBitrateKbps: 1500, container: 'mp4', audioCodec: 'aac', onlyConsenting: false, isDefault: false };

test('an auditor reads every resource and the dashboard, and is offered no action that changes anything', async (t) => {
  const a = app();
  const auditor = await agents.auditor();
  await finishedRecording(a, 'Видно аудитору');
  for (const resource of ['RecordingMode', 'MessengerServer', 'Recording', 'Conference', 'User', 'AuditEntry']) {
    const list = await auditor.get(`/admin/api/resources/${resource}/actions/list`).expect(200);
    t.true(list.body.meta.total > 0, resource);
    const [record] = list.body.records as Array<{ id: string; recordActions: Array<{ name: string }> }>;
    t.deepEqual(record!.recordActions.map((action) => action.name), ['show'], resource);
    await auditor.get(`/admin/api/resources/${resource}/records/${record!.id}/show`).expect(200);
  }
  const page = await auditor.get('/admin').expect(200);
  const resources = JSON.parse(/window\.REDUX_STATE = (.*);\n/.exec(page.text)![1]!).resources as Array<{ id: string; resourceActions: Array<{ name: string }> }>;
  t.deepEqual(resources.find((r) => r.id === 'RecordingMode')!.resourceActions.map((action) => action.name), ['list']);
  await auditor.get('/admin/api/dashboard').expect(200);
});

test('an auditor cannot create, edit, delete, re-post or download: 403, and nothing changes', async (t) => {
  const a = app();
  const auditor = await agents.auditor();
  const em = a.appliance.orm.em.fork();
  const mode = await em.findOneOrFail(RecordingMode, { isDefault: false }, { orderBy: { name: 'asc' } });
  const { recordingId, files } = await finishedRecording(a, 'Не для аудитора', [{ name: 'video.mp4', kind: 'video', bytes: 2000, codecs: ['hevc', 'aac'] }]);

  const create = await auditor.post('/admin/api/resources/RecordingMode/actions/new').type('form').send(form(MODE)).expect(403);
  t.is(create.body.notice.message, 'auditorsReadOnly');
  await auditor.post(`/admin/api/resources/RecordingMode/records/${mode.id}/edit`).type('form').send(form({ ...MODE, name: 'Переименован' })).expect(403);
  await auditor.post(`/admin/api/resources/RecordingMode/records/${mode.id}/delete`).expect(403);
  await auditor.post(`/admin/api/resources/Recording/records/${recordingId}/repostMessage`).expect(403);
  await auditor.post(`/admin/api/resources/Recording/records/${recordingId}/delete`).expect(403);
  await auditor.get(`/admin/files/${files[0]!.id}/download`).expect(403);
  // A GET of a changing action is refused by AdminJS itself.
  const viaGet = await auditor.get(`/admin/api/resources/Recording/records/${recordingId}/repostMessage`).expect(200);
  t.is(viaGet.body.notice.message, 'forbiddenError');

  const after = a.appliance.orm.em.fork();
  t.is((await after.findOneOrFail(RecordingMode, mode.id)).name, mode.name);
  t.is(await after.count(RecordingMode, { name: MODE.name }), 0);
  t.is(await after.count(AuditEntry, { action: { $like: 'console.%' }, actorName: { $like: 'auditor-%' }, $not: { action: 'console.signed_in' } }), 0);
});
