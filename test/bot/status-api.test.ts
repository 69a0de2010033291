import crypto from 'node:crypto';
import test from 'ava';
import { BotApiKey, LegalHold } from '../../appliance/db/entities/index.ts';
import { BotApiKeys } from '../../appliance/bot/bot-api-keys.ts';
import { ManualClock, TestAppliance } from '../helpers/test-appliance.ts';
import { FileWritingBackend, pathOf } from '../access/recording-fixtures.ts';

const clock = new ManualClock();
const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { clock: clock.now, backend });

test('chat bots read a conference\'s recordings with state, timer and links, with a bot API key only', async (t) => {
  const a = app();
  const { key } = await new BotApiKeys(a.appliance.orm, clock.now).issue('Бот статуса');
  t.regex(key, /^rbk_[\w-]{43}$/);
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Статус для ботов' }).expect(201)).body.id;
  const status = async () => (await a.as().get(`/api/bot/conferences/${id}/recordings`).set('Authorization', `Bearer ${key}`).expect(200)).body;

  t.deepEqual((await status()).recordings, []);
  t.like((await status()).conference, { id, title: 'Статус для ботов', state: 'active' });
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  clock.advance(5_000);
  t.like((await status()).recordings[0], { number: 1, state: 'recording', recordedMs: 5_000, files: [], linksExpireAt: null });
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
  clock.advance(60_000);
  t.like((await status()).recordings[0], { state: 'paused', recordedMs: 5_000, runningSince: null });
  await a.as(alice).post(`/api/conferences/${id}/recording/resume`).expect(200);
  clock.advance(2_000);
  const release = backend.hold();
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  t.like((await status()).recordings[0], { state: 'processing', recordedMs: 7_000, stopReason: 'menu', files: [] });
  release();
  await a.appliance.finisher.settle();

  const ready = (await status()).recordings[0];
  t.like(ready, { state: 'ready', recordedMs: 7_000, legalHold: false, filesDeletedAt: null });
  t.deepEqual(ready.files.map((f: { kind: string }) => f.kind).sort(), ['audio', 'video']);
  t.is(new Date(ready.linksExpireAt).getTime(), clock.now().getTime() + a.appliance.config.downloads.linkTtlHours * 3_600_000);
  await a.as().get(pathOf(ready.files[0].url)).expect(200);
  const em = a.appliance.orm.em.fork();
  em.create(LegalHold, { id: crypto.randomUUID(), recordingId: ready.id, reason: 'Проверка', placedBy: 'admin@example.org' });
  await em.flush();
  t.true((await status()).recordings[0].legalHold);

  // A second recording, with no files: failed, and why.
  const failedConference = (await a.as(alice).post('/api/conferences', { title: 'Запись без файлов' }).expect(201)).body.id;
  await a.as(alice).post(`/api/conferences/${failedConference}/recording/start`).expect(200);
  await a.as(alice).post(`/api/conferences/${failedConference}/recording/stop`).expect(200);
  await a.appliance.finisher.settle();
  const failed = (await a.as().get(`/api/bot/conferences/${failedConference}/recordings`).set('Authorization', `Bearer ${key}`).expect(200)).body.recordings[0];
  t.like(failed, { state: 'failed', files: [] });

  await a.as().get(`/api/bot/conferences/${crypto.randomUUID()}/recordings`).set('Authorization', `Bearer ${key}`).expect(404);
  t.truthy((await a.appliance.orm.em.fork().findOneOrFail(BotApiKey, { name: 'Бот статуса' })).lastUsedAt);
});

test('the status API refuses no key, user tokens, unknown and switched-off keys with a 401 that says which', async (t) => {
  const a = app();
  const keys = new BotApiKeys(a.appliance.orm, clock.now);
  const { key } = await keys.issue('Выключенный бот');
  await a.appliance.orm.em.fork().nativeUpdate(BotApiKey, { name: 'Выключенный бот' }, { enabled: false });
  const alice = await a.user(a.servers.corporate, 'alice-keys', 'Алиса');
  const url = `/api/bot/conferences/${crypto.randomUUID()}/recordings`;
  const cases: Array<[string | undefined, RegExp]> = [
    [undefined, /send the bot API key/],
    [alice.token, /not a user token/],
    [`rbk_${'x'.repeat(43)}`, /not known/],
    [key, /"Выключенный бот" has been switched off/],
  ];
  for (const [token, message] of cases) {
    const req = a.as().get(url);
    const res = await (token ? req.set('Authorization', `Bearer ${token}`) : req).expect(401);
    t.regex(res.body.error.message, message);
    t.is(res.headers['www-authenticate'], 'Bearer');
  }
  // The same key is no user token either.
  await a.as().get('/api/conferences').set('Authorization', `Bearer ${key}`).expect(401);
});
