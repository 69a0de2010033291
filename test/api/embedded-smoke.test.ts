import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import request from 'supertest';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { NoMediaBackend } from '../../appliance/recorder/recording-backend.ts';
import { UNMETERED_DISK } from '../helpers/test-appliance.ts';

/** The embedded default (`npm start` with nothing configured): same API, same rules, data kept on disk. */
test('the embedded database serves the rules and keeps its data across a restart', async (t) => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-embedded-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...UNMETERED_DISK });
  t.true(config.demo, 'the demo sign-in is on by default with the embedded database');
  let appliance = await Appliance.start(config, { backend: new NoMediaBackend() });
  try {
    const users = (await request(appliance.url).get('/api/demo/users').expect(200)).body;
    t.true(users.some((u: { server: string }) => u.server === 'regional'));
    const token = async (user: string) => (await request(appliance.url).post('/api/demo/token').send({ user }).expect(200)).body.token as string;
    const [alice, roman] = [await token('alice'), await token('roman')];
    const as = (tok: string) => ({
      post: (p: string, body: object = {}) => request(appliance.url).post(p).set('Authorization', `Bearer ${tok}`).send(body),
      get: (p: string) => request(appliance.url).get(p).set('Authorization', `Bearer ${tok}`),
    });
    const id = (await as(alice).post('/api/conferences', { title: 'Встроенная база' }).expect(201)).body.id;
    await as(roman).post(`/api/conferences/${id}/join`).expect(200);
    await as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
    await as(roman).post(`/api/conferences/${id}/recording/pause`).expect(403);
    await as(roman).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
    await as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
    await as(alice).post(`/api/conferences/${id}/recording/pause`).expect(409);
    await as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
    await appliance.finisher.settle();
    const chat = (await as(roman).get(`/api/conferences/${id}/chat`).expect(200)).body;
    t.is(chat.at(-1).authorName, 'Recordings Bot');
    t.true((await request(appliance.url).get('/healthz').expect(200)).body.ok);
    await appliance.stop();

    appliance = await Appliance.start(config, { backend: new NoMediaBackend() });
    const after = (await as(alice).get(`/api/conferences/${id}`).expect(200)).body;
    t.is(after.title, 'Встроенная база');
    t.is(after.participants.length, 2);
    const recordings = (await as(alice).get(`/api/conferences/${id}/recordings`).expect(200)).body;
    t.is(recordings[0].state, 'failed', 'no media backend is attached in this configuration: no files');
  } finally {
    await appliance.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
