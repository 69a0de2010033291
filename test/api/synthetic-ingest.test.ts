import test from 'ava';
import request from 'supertest';
import { SELFTEST_SERVER, registerSelftestServer, selftestSecret } from '../../appliance/auth/selftest-identity.ts';
import { RecordingMode } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

let registration: Promise<string> | undefined;

/** The self-test's secret, its server registered once the way the self-test does it: tests running side by side must not race to create it. */
function registered(): Promise<string> {
  registration ??= (async () => {
    const a = app();
    const secret = await selftestSecret(a.dataDir);
    const mode = await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, { isDefault: true });
    await registerSelftestServer(a.appliance.orm, secret, mode.id);
    return secret;
  })();
  return registration;
}

async function selftestUser(sub: string): Promise<TestUser> {
  return app().user({ id: SELFTEST_SERVER.id, name: SELFTEST_SERVER.name, secret: await registered() }, sub);
}

const CAMERA = { kind: 'video', source: 'camera', ssrc: 1234, lifetimeSeconds: 60 };

async function conferenceWith(host: TestUser, title: string): Promise<string> {
  return (await app().as(host).post('/api/conferences', { title }).expect(201)).body.id;
}

function closeIngest(user: TestUser, conferenceId: string, ingestId: string) {
  return request(app().url).delete(`/api/conferences/${conferenceId}/ingests/${ingestId}`).set('Authorization', `Bearer ${user.token}`);
}

test('a participant of an ordinary messenger server may not feed synthetic media, even from the host itself', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-ingest', 'Алиса');
  const id = await conferenceWith(alice, 'Обычная конференция');
  const refused = await a.as(alice).post(`/api/conferences/${id}/ingests`, CAMERA).expect(403);
  t.is(refused.body.error.code, 'forbidden');
  t.regex(refused.body.error.message, /self-test only/);
  t.deepEqual(a.appliance.sfu.producersOf(id), []);
});

test('the self-test opens a loopback ingest in its own conference, once per source and kind, and closes it', async (t) => {
  const a = app();
  const robot = await selftestUser('selftest-open');
  const id = await conferenceWith(robot, 'Самопроверка');
  const opened = await a.as(robot).post(`/api/conferences/${id}/ingests`, CAMERA).expect(201);
  t.like(opened.body, { payloadType: 96 });
  t.true(opened.body.port > 0);
  t.deepEqual(a.appliance.sfu.producersOf(id).map((producer) => producer.producerId), [opened.body.id]);
  const twice = await a.as(robot).post(`/api/conferences/${id}/ingests`, { ...CAMERA, ssrc: 99 }).expect(409);
  t.regex(twice.body.error.message, /already feed video/);

  const other = await selftestUser('selftest-other');
  await a.as(other).post(`/api/conferences/${id}/join`).expect(200);
  await closeIngest(other, id, opened.body.id).expect(404);
  await closeIngest(robot, id, opened.body.id).expect(200);
  t.deepEqual(a.appliance.sfu.producersOf(id), []);
  await closeIngest(robot, id, opened.body.id).expect(404);
});

test('the self-test is refused through a proxy, and outside conferences it has not joined', async (t) => {
  const a = app();
  const robot = await selftestUser('selftest-proxied');
  const id = await conferenceWith(robot, 'Самопроверка через nginx');
  const proxied = await a.as(robot).post(`/api/conferences/${id}/ingests`, CAMERA).set('X-Forwarded-For', '203.0.113.7').expect(403);
  t.regex(proxied.body.error.message, /own host/);
  const spoofed = await a.as(robot).post(`/api/conferences/${id}/ingests`, CAMERA).set('X-Real-IP', '127.0.0.1').expect(403);
  t.regex(spoofed.body.error.message, /own host/);

  const outsider = await selftestUser('selftest-outsider');
  const notJoined = await a.as(outsider).post(`/api/conferences/${id}/ingests`, CAMERA).expect(403);
  t.regex(notJoined.body.error.message, /join the conference first/);
  t.deepEqual(a.appliance.sfu.producersOf(id), []);
});

test('the ingest body is checked: a camera sends video, and the lifetime is bounded', async (t) => {
  const a = app();
  const robot = await selftestUser('selftest-input');
  const id = await conferenceWith(robot, 'Самопроверка: ввод');
  const mismatched = await a.as(robot).post(`/api/conferences/${id}/ingests`, { ...CAMERA, kind: 'audio' }).expect(400);
  t.is(mismatched.body.error.field, 'kind');
  const endless = await a.as(robot).post(`/api/conferences/${id}/ingests`, { ...CAMERA, lifetimeSeconds: 86_400 }).expect(400);
  t.is(endless.body.error.code, 'invalid');
  await a.as(robot).post(`/api/conferences/${id}/ingests`, { kind: 'video', source: 'camera' }).expect(400);
});
