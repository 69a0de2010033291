import test from 'ava';
import { ManualClock, TestAppliance } from '../helpers/test-appliance.ts';

const clock = new ManualClock();
const app = TestAppliance.forFile(test, import.meta.filename, { clock: clock.now, timerPeriodMs: 100 });

test('the timer counts recorded time without pauses, for every participant, pushed live', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const guest = await a.user(a.servers.regional, 'guest', 'Гость');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Таймер' }).expect(201)).body.id;
  await a.as(guest).post(`/api/conferences/${id}/join`).expect(200);
  const socket = await a.socket(guest);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  clock.advance(7_000);
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
  clock.advance(60_000);
  const paused = await a.as(guest).get(`/api/conferences/${id}`).expect(200);
  t.is(paused.body.recording.state, 'paused');
  t.is(paused.body.recording.recordedMs, 7_000);
  // The pushed timer holds still while paused.
  socket.events.length = 0;
  const tick = await socket.next((e) => e.type === 'recording.timer');
  t.is(tick.recordedMs, 7_000);
  t.is(tick.state, 'paused');

  await a.as(alice).post(`/api/conferences/${id}/recording/resume`).expect(200);
  clock.advance(2_500);
  const running = await a.as(guest).get(`/api/conferences/${id}`).expect(200);
  t.is(running.body.recording.recordedMs, 9_500);
  t.truthy(running.body.recording.runningSince);
  socket.events.length = 0;
  const liveTick = await socket.next((e) => e.type === 'recording.timer');
  t.is(liveTick.recordedMs, 9_500);

  clock.advance(500);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`, { control: 'timer' }).expect(200);
  clock.advance(10_000);
  const [recording] = (await a.as(guest).get(`/api/conferences/${id}/recordings`).expect(200)).body;
  t.is(recording.recordedMs, 10_000);
  socket.close();
});
