import test from 'ava';
import { TestAppliance } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no series ${series} in:\n${text.slice(0, 2000)}`);
  return Number(line.split(' ')[1]);
}

test('/metrics serves conferences, participants, recordings by state, stop→link latency, disk and process metrics', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const bob = await a.user(a.servers.corporate, 'bob', 'Борис');
  const socket = await a.socket(alice);
  const id = (await a.as(alice).post('/api/conferences', { title: 'Метрики' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  const during = (await a.as().get('/metrics').expect(200)).text;
  t.is(value(during, 'conferences_active'), 1);
  t.is(value(during, 'participants_active'), 2);
  t.is(value(during, 'recordings{state="recording"}'), 1);
  t.true(value(during, 'recordings_disk_free_bytes') > 0);
  t.true(value(during, 'process_resident_memory_bytes') > 0);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  await socket.next((e) => e.type === 'recording.failed' || e.type === 'recording.ready');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = (await a.as().get('/metrics').expect(200)).text;
  t.is(value(after, 'recordings{state="recording"}'), 0);
  t.is(value(after, 'recording_stop_to_link_seconds_count'), 1);
  t.true(value(after, 'recording_stop_to_link_seconds_sum') < 5);
  socket.close();
});
