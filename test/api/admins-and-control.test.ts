import test from 'ava';
import { MessengerServer } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

async function conferenceOf(title: string) {
  const a = app();
  const alice = await a.user(a.servers.corporate, `alice-${title}`, 'Алиса');
  const bob = await a.user(a.servers.corporate, `bob-${title}`, 'Борис');
  const res = await a.as(alice).post('/api/conferences', { title });
  return { a, alice, bob, id: res.body.id as string, creator: res.body };
}

test('the creator becomes the admin; an admin makes another participant an admin', async (t) => {
  const { a, alice, bob, id, creator } = await conferenceOf('Роли');
  t.is(creator.me.role, 'admin');
  t.true(creator.me.canControlRecording);
  const joined = await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  t.is(joined.body.me.role, 'member');
  t.false(joined.body.me.canControlRecording);
  const bobId = joined.body.me.userId;
  // A member cannot make admins.
  const refused = await a.as(bob).post(`/api/conferences/${id}/admins`, { userId: creator.me.userId }).expect(403);
  t.regex(refused.body.error.message, /admin/);
  const made = await a.as(alice).post(`/api/conferences/${id}/admins`, { userId: bobId }).expect(200);
  t.is(made.body.participants.find((p: { userId: string }) => p.userId === bobId).role, 'admin');
  const again = await a.as(alice).post(`/api/conferences/${id}/admins`, { userId: bobId }).expect(409);
  t.regex(again.body.error.message, /already an admin/);
  // The new admin controls recording.
  await a.as(bob).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/recording/stop`).expect(200);
});

test('only admins start, pause, resume and stop; anyone else gets 403 and nothing changes', async (t) => {
  const { a, alice, bob, id } = await conferenceOf('Управление');
  const stranger = await a.user(a.servers.corporate, 'stranger-ctl');
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  for (const user of [bob, stranger]) {
    const res = await a.as(user).post(`/api/conferences/${id}/recording/start`).expect(403);
    t.is(res.body.error.code, 'forbidden');
  }
  t.is((await a.as(alice).get(`/api/conferences/${id}`)).body.recording, null);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  for (const action of ['pause', 'resume', 'stop']) {
    await a.as(bob).post(`/api/conferences/${id}/recording/${action}`).expect(403);
    await a.as(stranger).post(`/api/conferences/${id}/recording/${action}`).expect(403);
  }
  const view = await a.as(alice).get(`/api/conferences/${id}`).expect(200);
  t.is(view.body.recording.state, 'recording');
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/resume`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`, { control: 'menu' }).expect(200);
});

test('a regional admin cannot control recording (403 saying why); the server rule decides it', async (t) => {
  const a = app();
  const roman = await a.user(a.servers.regional, 'roman', 'Роман');
  const created = await a.as(roman).post('/api/conferences', { title: 'Региональная' }).expect(201);
  t.is(created.body.me.role, 'admin');
  t.false(created.body.me.canControlRecording);
  const id = created.body.id;
  const refused = await a.as(roman).post(`/api/conferences/${id}/recording/start`).expect(403);
  t.regex(refused.body.error.message, /regional/);
  // Even «Завершить запись» on leaving is refused, and the admin stays in.
  await a.as(roman).post(`/api/conferences/${id}/leave`, { stopRecording: true }).expect(403);
  t.true((await a.as(roman).get(`/api/conferences/${id}`)).body.me.present);

  // The console can allow it for that server.
  const em = a.appliance.orm.em.fork();
  const server = await em.findOneOrFail(MessengerServer, a.servers.regional.id);
  server.mayControlRecording = true;
  await em.flush();
  await a.as(roman).post(`/api/conferences/${id}/recording/start`).expect(200);
  server.mayControlRecording = false;
  await em.flush();
  await a.as(roman).post(`/api/conferences/${id}/recording/stop`).expect(403);
});

test('one recording at a time, and controls that do not fit the state are 409', async (t) => {
  const { a, alice, id } = await conferenceOf('Конфликты');
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(409);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  const twice = await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(409);
  t.is(twice.body.error.code, 'conflict');
  await a.as(alice).post(`/api/conferences/${id}/recording/resume`).expect(409);
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(409);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(409);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  for (const action of ['pause', 'resume', 'stop']) await a.as(alice).post(`/api/conferences/${id}/recording/${action}`).expect(409);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  const recordings = await a.as(alice).get(`/api/conferences/${id}/recordings`).expect(200);
  t.deepEqual(recordings.body.map((r: { number: number }) => r.number), [1, 2]);
});

test('every state change lands in the audit log with who, what, when and which server', async (t) => {
  const { a, alice, bob, id } = await conferenceOf('Аудит');
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`, { control: 'timer' }).expect(200);
  const rows: Array<{ action: string; actor_name: string; actor_server_id: string; at: string }> = await a.appliance.orm.em.fork().getConnection().execute(
    'select action, actor_name, actor_server_id, at from audit_log where conference_id = ? order by id',
    [id],
  );
  t.deepEqual(
    rows.map((r) => r.action),
    ['conference.created', 'participant.joined', 'participant.joined', 'recording.started', 'consent.given', 'consent.requested', 'consent.given', 'recording.stopped'],
  );
  const stop = rows.at(-1)!;
  t.is(stop.actor_name, 'Алиса');
  t.is(stop.actor_server_id, a.servers.corporate.id);
  t.true(Math.abs(Date.now() - new Date(stop.at).getTime()) < 60_000);
});
