import test from 'ava';
import { FileWritingBackend } from '../helpers/file-writing-backend.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { EventSocket, TestUser } from '../helpers/test-appliance.ts';

const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { backend, environment: { PRESENCE_GRACE_SECONDS: '2', PRESENCE_HEARTBEAT_SECONDS: '1' } });
const graceMs = () => app().appliance.config.presence.graceSeconds * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** alice (admin) and bob, each on a socket that keeps them present, with a recording both agreed to. */
async function recordingWithSockets(title: string, options: { bobAdmin?: boolean } = {}) {
  const a = app();
  const alice = await a.user(a.servers.corporate, `alice-${title}`, 'Алиса');
  const bob = await a.user(options.bobAdmin ? a.servers.regional : a.servers.corporate, `bob-${title}`, 'Борис');
  const id: string = (await a.as(alice).post('/api/conferences', { title }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  if (options.bobAdmin) {
    const bobId = (await a.as(bob).get('/api/me').expect(200)).body.userId;
    await a.as(alice).post(`/api/conferences/${id}/admins`, { userId: bobId }).expect(200);
  }
  const aliceSocket = await attending(a, alice, id);
  const bobSocket = await attending(a, bob, id);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  return { a, alice, bob, id, aliceSocket, bobSocket };
}

async function attending(a: TestAppliance, user: TestUser, conferenceId: string, options: { autoPong?: boolean } = {}): Promise<EventSocket> {
  const socket = await a.socket(user, options);
  await socket.next((e) => e.type === 'hello');
  socket.attend(conferenceId);
  return socket;
}

async function me(a: TestAppliance, user: TestUser, id: string) {
  return (await a.as(user).get(`/api/conferences/${id}`).expect(200)).body.me as { present: boolean; role: string; pendingPrompt: unknown };
}

async function auditOf(a: TestAppliance, id: string): Promise<Array<{ action: string; actor_name: string | null; details: Record<string, unknown> }>> {
  return a.appliance.orm.em.fork().getConnection().execute('select action, actor_name, details from audit_log where conference_id = ? order by id', [id]);
}

test('sockets dropped without a leave: after the grace period the admin leaves, the recording stops, the bot posts, then the conference ends', async (t) => {
  const { a, alice, bob, id, aliceSocket, bobSocket } = await recordingWithSockets('Обрыв');
  const droppedAt = Date.now();
  aliceSocket.socket.terminate();
  const left = await bobSocket.next((e) => e.type === 'participant.left', graceMs() + 5000);
  const waited = Date.now() - droppedAt;
  t.true(waited >= graceMs() - 50, `alice left ${waited} ms after her socket dropped, before the ${graceMs()} ms grace`);
  t.like(left, { userId: (await a.as(alice).get('/api/me')).body.userId, declinedRecording: false, connectionLost: true });
  t.like(await bobSocket.next((e) => e.type === 'recording.stopped'), { reason: 'all-admins-left' });
  const message = (await bobSocket.next((e) => e.type === 'chat.message')).message as { bot: boolean; text: string; links: unknown[] };
  t.true(message.bot);
  t.regex(message.text, /автоматически/);
  t.is(message.links.length, 2);
  t.false((await me(a, alice, id)).present);

  bobSocket.socket.terminate();
  const deadline = Date.now() + graceMs() + 5000;
  while ((await a.as(bob).get(`/api/conferences/${id}`).expect(200)).body.state !== 'ended') {
    if (Date.now() > deadline) return t.fail('the conference did not end after its last participant dropped');
    await sleep(100);
  }
  const lists = await a.as(bob).get('/api/conferences').expect(200);
  t.true(lists.body.completed.some((c: { id: string }) => c.id === id), 'the conference is under «Завершенные»');
  const audit = await auditOf(a, id);
  const lost = audit.filter((r) => r.action === 'participant.left');
  t.is(lost.length, 2);
  for (const row of lost) t.is(row.details.cause, 'соединение потеряно');
  t.deepEqual(audit.map((r) => r.action).filter((action) => action !== 'consent.given' && action !== 'consent.requested'), [
    'conference.created',
    'participant.joined',
    'participant.joined',
    'recording.started',
    'participant.left',
    'recording.stopped',
    'recording.ready',
    'participant.left',
    'conference.ended',
  ]);
  t.is(audit.find((r) => r.action === 'recording.stopped')?.actor_name, null, 'nobody chose the stop');
});

test('a reconnect within the grace period changes nothing: same role, no second question, no leave', async (t) => {
  const { a, alice, id, aliceSocket, bobSocket } = await recordingWithSockets('Перезагрузка');
  aliceSocket.socket.terminate();
  await sleep(graceMs() / 3);
  const again = await attending(a, alice, id);
  await sleep(graceMs() + 1000);
  t.like(await me(a, alice, id), { present: true, role: 'admin', pendingPrompt: null });
  t.false(bobSocket.events.some((e) => e.type === 'participant.left' || e.type === 'recording.stopped' || e.type === 'participant.joined'));
  t.false(again.events.some((e) => e.type === 'consent.requested'));
  t.is((await a.as(alice).get(`/api/conferences/${id}`).expect(200)).body.recording.state, 'recording');
});

test('two tabs of one user: closing one keeps them present; they leave only when the last is gone', async (t) => {
  const { a, alice, bob, id, aliceSocket, bobSocket } = await recordingWithSockets('Две вкладки');
  const secondTab = await attending(a, alice, id);
  aliceSocket.socket.terminate();
  await sleep(graceMs() + 1000);
  t.true((await me(a, alice, id)).present, 'the second tab keeps alice present');
  secondTab.socket.terminate();
  await bobSocket.next((e) => e.type === 'participant.left', graceMs() + 5000);
  t.false((await me(a, alice, id)).present);
  t.true((await me(a, bob, id)).present);
});

test('a socket that stops answering pings (a network cut) is dropped by the heartbeat and its user leaves', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-ping', 'Алиса');
  const bob = await a.user(a.servers.corporate, 'bob-ping', 'Борис');
  const id: string = (await a.as(alice).post('/api/conferences', { title: 'Пинг' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  const bobSocket = await attending(a, bob, id);
  const silent = await attending(a, alice, id, { autoPong: false });
  const closed = new Promise<number>((resolve) => silent.socket.once('close', () => resolve(Date.now())));
  const left = await bobSocket.next((e) => e.type === 'participant.left', 2 * a.appliance.config.presence.heartbeatSeconds * 1000 + graceMs() + 5000);
  const leftAt = Date.now();
  t.like(left, { connectionLost: true });
  // The appliance closed the silent socket itself, and the grace period ran from then.
  const closedAt = await closed;
  t.true(leftAt - closedAt >= graceMs() - 100, `alice left ${leftAt - closedAt} ms after the appliance dropped her socket`);
  t.false((await me(a, alice, id)).present);
  t.true((await me(a, bob, id)).present);
});

test('a regional admin does not keep the recording going when the last admin who may control it drops', async (t) => {
  const { a, alice, bob, id, aliceSocket, bobSocket } = await recordingWithSockets('Региональный', { bobAdmin: true });
  aliceSocket.socket.terminate();
  t.like(await bobSocket.next((e) => e.type === 'recording.stopped', graceMs() + 5000), { reason: 'controllers-left' });
  const message = (await bobSocket.next((e) => e.type === 'chat.message')).message as { text: string };
  t.notRegex(message.text, /все администраторы/, 'bob, an admin, is still there');
  t.false((await me(a, alice, id)).present);
  t.like(await me(a, bob, id), { present: true, role: 'admin' });
});

test('presence naming no conference is refused on the socket and changes nothing', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-bad', 'Алиса');
  const socket = await a.socket(alice);
  socket.socket.send(JSON.stringify({ type: 'presence', conferenceId: 'not-an-id' }));
  t.like(await socket.next((e) => e.type === 'error'), { error: { code: 'invalid', field: 'conferenceId' } });
});

test('a participant who only uses the API, with no connection, is not taken out', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-api', 'Алиса');
  const id: string = (await a.as(alice).post('/api/conferences', { title: 'Только API' }).expect(201)).body.id;
  await sleep(graceMs() + 500);
  t.true((await me(a, alice, id)).present);
});

test('a tab that moves on from the conference says so, and its user leaves after the grace period though the socket stays open', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-away', 'Алиса');
  const bob = await a.user(a.servers.corporate, 'bob-away', 'Борис');
  const id: string = (await a.as(alice).post('/api/conferences', { title: 'Ушла в список' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  const bobSocket = await attending(a, bob, id);
  const aliceSocket = await attending(a, alice, id);
  aliceSocket.socket.send(JSON.stringify({ type: 'presence', conferenceId: id, here: false }));
  t.like(await bobSocket.next((e) => e.type === 'participant.left', graceMs() + 5000), { connectionLost: true });
  t.is(aliceSocket.socket.readyState, aliceSocket.socket.OPEN);
  t.false((await me(a, alice, id)).present);
});
