import test from 'ava';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

async function meeting(tag: string, members = 1) {
  const a = app();
  const alice = await a.user(a.servers.corporate, `alice-${tag}`, 'Алиса');
  const bob = await a.user(a.servers.corporate, `bob-${tag}`, 'Борис');
  const others: TestUser[] = [];
  for (let i = 0; i < members; i++) others.push(await a.user(a.servers.otherCorporate, `m${i}-${tag}`, `Участник ${i}`));
  const id = (await a.as(alice).post('/api/conferences', { title: `Встреча ${tag}` }).expect(201)).body.id as string;
  const bobId = (await a.as(bob).post(`/api/conferences/${id}/join`).expect(200)).body.me.userId;
  await a.as(alice).post(`/api/conferences/${id}/admins`, { userId: bobId }).expect(200);
  for (const m of others) await a.as(m).post(`/api/conferences/${id}/join`).expect(200);
  return { a, alice, bob, others, id };
}

const recordingOf = async (a: TestAppliance, user: TestUser, id: string) => (await a.as(user).get(`/api/conferences/${id}/recordings`).expect(200)).body.at(-1);

for (const way of ['timer', 'menu', 'leave'] as const) {
  test(`the «${way}» way stops the recording`, async (t) => {
    const { a, alice, bob, id } = await meeting(`stop-${way}`);
    await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
    if (way === 'leave') {
      const left = await a.as(alice).post(`/api/conferences/${id}/leave`, { stopRecording: true }).expect(200);
      t.false(left.body.me.present);
    } else {
      await a.as(alice).post(`/api/conferences/${id}/recording/stop`, { control: way }).expect(200);
    }
    const recording = await recordingOf(a, bob, id);
    t.not(recording.state, 'recording');
    t.is(recording.stopReason, way);
  });
}

test('leaving without choosing to stop while another admin remains keeps the recording going', async (t) => {
  const { a, alice, bob, id } = await meeting('leave-no-stop');
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/leave`, { stopRecording: false }).expect(200);
  t.is((await recordingOf(a, bob, id)).state, 'recording');
});

test('the recording stops by itself when every admin has left', async (t) => {
  const { a, alice, bob, others, id } = await meeting('auto-stop');
  const watcher = await a.socket(others[0]!);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/leave`).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/leave`).expect(200);
  const stopped = await watcher.next((e) => e.type === 'recording.stopped');
  t.is(stopped.reason, 'all-admins-left');
  const recording = await recordingOf(a, others[0]!, id);
  t.is(recording.stopReason, 'all-admins-left');
  watcher.close();
});

test('the recording stops by itself when the last admin who may control it leaves; the words do not say every admin left, as a regional one stays', async (t) => {
  const { a, alice, bob, id } = await meeting('controllers-left');
  const roman = await a.user(a.servers.regional, 'roman-controllers-left', 'Роман');
  const romanId = (await a.as(roman).post(`/api/conferences/${id}/join`).expect(200)).body.me.userId;
  await a.as(alice).post(`/api/conferences/${id}/admins`, { userId: romanId }).expect(200);
  const watcher = await a.socket(roman);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/leave`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/leave`).expect(200);
  t.like(await watcher.next((e) => e.type === 'recording.stopped'), { reason: 'controllers-left' });
  t.is((await recordingOf(a, roman, id)).stopReason, 'controllers-left');
  const message = (await watcher.next((e) => e.type === 'chat.message', 30_000)).message as { bot: boolean; text: string };
  t.true(message.bot);
  t.regex(message.text, /вышел последний администратор, который мог управлять записью/);
  t.notRegex(message.text, /все администраторы/);
  t.like((await a.as(roman).get(`/api/conferences/${id}`).expect(200)).body.me, { present: true, role: 'admin' });
  watcher.close();
});

test('an admin whose confirmation is still open gets 409 confirmation_pending on pause and on stop, and the recording runs on', async (t) => {
  const { a, alice, bob, id } = await meeting('confirmation-pending');
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  t.is((await a.as(bob).get(`/api/conferences/${id}`).expect(200)).body.me.pendingPrompt.kind, 'admin-confirmation');
  const refusals = [
    await a.as(bob).post(`/api/conferences/${id}/recording/pause`).expect(409),
    await a.as(bob).post(`/api/conferences/${id}/recording/stop`, { control: 'menu' }).expect(409),
    await a.as(bob).post(`/api/conferences/${id}/recording/stop`, { control: 'timer' }).expect(409),
  ];
  for (const refusal of refusals) t.is(refusal.body.error.code, 'confirmation_pending');
  t.is((await recordingOf(a, bob, id)).state, 'recording');
  await a.as(bob).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/recording/pause`).expect(200);
  await a.as(bob).post(`/api/conferences/${id}/recording/stop`).expect(200);
  t.is((await recordingOf(a, bob, id)).stopReason, 'menu');
});

test('starting asks the other admins to confirm and every participant to consent; the recording runs meanwhile', async (t) => {
  const { a, alice, bob, others, id } = await meeting('prompts', 2);
  const [carol, dan] = others as [TestUser, TestUser];
  const sockets = { alice: await a.socket(alice), bob: await a.socket(bob), carol: await a.socket(carol) };
  const started = await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  t.is(started.body.recording.state, 'recording');
  t.is(started.body.me.pendingPrompt, null);
  const bobAsked = await sockets.bob.next((e) => e.type === 'consent.requested');
  t.is(bobAsked.kind, 'admin-confirmation');
  const carolAsked = await sockets.carol.next((e) => e.type === 'consent.requested');
  t.is(carolAsked.kind, 'consent');
  // A question goes to its addressee alone.
  await sockets.alice.next((e) => e.type === 'recording.started');
  t.false(sockets.alice.events.some((e) => e.type === 'consent.requested'));
  t.false(sockets.carol.events.some((e) => e.type === 'consent.requested'));

  const view = await a.as(carol).get(`/api/conferences/${id}`).expect(200);
  t.deepEqual(view.body.me.pendingPrompt.choices.map((c: { label: string }) => c.label), ['Согласен на запись', 'Покинуть конференцию']);

  await a.as(bob).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  await a.as(carol).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  // Choosing to leave removes the participant.
  const declined = await a.as(dan).post(`/api/conferences/${id}/prompt`, { answer: 'leave' }).expect(200);
  t.false(declined.body.me.present);
  const left = await sockets.alice.next((e) => e.type === 'participant.left');
  t.true(left.declinedRecording);
  await a.as(dan).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(409);

  // Rejoining during the recording asks again, and consent is possible then.
  const rejoined = await a.as(dan).post(`/api/conferences/${id}/join`).expect(200);
  t.is(rejoined.body.me.pendingPrompt.kind, 'consent');
  const agreed = await a.as(dan).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  t.true(agreed.body.me.consented);

  // A second recording asks nobody again.
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  for (const s of Object.values(sockets)) s.events.length = 0;
  await a.as(bob).post(`/api/conferences/${id}/recording/start`).expect(200);
  await sockets.carol.next((e) => e.type === 'recording.started');
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const s of Object.values(sockets)) t.false(s.events.some((e) => e.type === 'consent.requested'));
  for (const user of [alice, carol, dan]) t.is((await a.as(user).get(`/api/conferences/${id}`)).body.me.pendingPrompt, null);
  for (const s of Object.values(sockets)) s.close();
});

test('consent is per conference: the same user is asked again in another conference', async (t) => {
  const { a, alice, others, id } = await meeting('per-conf');
  const carol = others[0]!;
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(carol).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
  const other = (await a.as(alice).post('/api/conferences', { title: 'Другая' }).expect(201)).body.id;
  await a.as(carol).post(`/api/conferences/${other}/join`).expect(200);
  await a.as(alice).post(`/api/conferences/${other}/recording/start`).expect(200);
  t.is((await a.as(carol).get(`/api/conferences/${other}`)).body.me.pendingPrompt.kind, 'consent');
});
