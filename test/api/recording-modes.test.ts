import test from 'ava';
import { MessengerServer, Recording, RecordingMode } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

test('a recording keeps the mode it started with; its server may name another mode', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const partner = await a.user(a.servers.otherCorporate, 'petr', 'Пётр');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Режимы' }).expect(201)).body.id;
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  const em = a.appliance.orm.em.fork();
  const defaultMode = await em.findOneOrFail(RecordingMode, { isDefault: true });
  const first = await em.findOneOrFail(Recording, { conferenceId: id, number: 1 });
  t.is(first.modeId, defaultMode.id);
  t.deepEqual(first.mode?.settings.kind, 'composite');
  const fpsAtStart = defaultMode.fps;
  defaultMode.fps = 15;
  await em.flush();
  const reread = await a.appliance.orm.em.fork().findOneOrFail(Recording, first.id);
  t.is(reread.mode?.settings.fps, fpsAtStart, 'editing the mode does not change a running recording');
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);

  const audioOnly = await em.findOneOrFail(RecordingMode, { kind: 'audio-only' });
  const server = await em.findOneOrFail(MessengerServer, a.servers.otherCorporate.id);
  server.defaultModeId = audioOnly.id;
  await em.flush();
  const other = (await a.as(partner).post('/api/conferences', { title: 'Партнёрская' }).expect(201)).body.id;
  await a.as(partner).post(`/api/conferences/${other}/recording/start`).expect(200);
  const second = await a.appliance.orm.em.fork().findOneOrFail(Recording, { conferenceId: other });
  t.is(second.mode?.name, audioOnly.name);
  t.is(second.mode?.settings.kind, 'audio-only');
});
