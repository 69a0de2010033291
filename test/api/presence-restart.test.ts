import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import request from 'supertest';
import { WebSocket } from 'ws';
import { DEMO_USERS, demoSecret, demoToken } from '../../appliance/auth/demo-identities.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { UNMETERED_DISK } from '../helpers/test-appliance.ts';
import { startProcess, stopProcess } from '../helpers/appliance-process.ts';

const GRACE_SECONDS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function api(url: string, token: string) {
  return {
    get: (p: string) => request(url).get(p).set('Authorization', `Bearer ${token}`),
    post: (p: string, body: object = {}) => request(url).post(p).set('Authorization', `Bearer ${token}`).send(body),
  };
}

/** A socket that keeps its user present in `conferenceId`, as the web client's does. */
async function attend(url: string, token: string, conferenceId: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'presence', conferenceId }));
  return socket;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Runs `body` against an appliance process on a database and data folder of its own, with a short grace period. */
async function withAppliance(body: (env: Record<string, string>, running: { child?: ChildProcess }) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(import.meta.filename);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-presence-'));
  const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir, DEMO: 'true', PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS), ...UNMETERED_DISK };
  const running: { child?: ChildProcess } = {};
  try {
    await body(env, running);
  } finally {
    if (running.child) await stopProcess(running.child, 'SIGTERM');
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

test.serial('after a kill -9 mid-recording, the admin who never comes back leaves: the recording stops, the bot posts; the one who reconnects stays', async (t) => {
  await withAppliance(async (env, running) => {
    const first = await startProcess(env);
    running.child = first.child;
    const secret = await demoSecret(env.DATA_DIR!);
    const [alice, boris] = [await demoToken(secret, DEMO_USERS[0]!), await demoToken(secret, DEMO_USERS[1]!)];
    const id: string = (await api(first.url, alice).post('/api/conferences', { title: 'Сбой' }).expect(201)).body.id;
    await api(first.url, boris).post(`/api/conferences/${id}/join`).expect(200);
    await attend(first.url, alice, id);
    await attend(first.url, boris, id);
    await api(first.url, alice).post(`/api/conferences/${id}/recording/start`).expect(200);
    await api(first.url, boris).post(`/api/conferences/${id}/prompt`, { answer: 'agree' }).expect(200);
    await sleep(1000);
    await stopProcess(first.child, 'SIGKILL');

    const second = await startProcess(env);
    running.child = second.child;
    const restartedAt = Date.now();
    const view = (await api(second.url, boris).get(`/api/conferences/${id}`).expect(200)).body;
    t.deepEqual(view.participants.map((p: { present: boolean }) => p.present), [true, true], 'right after the restart both still have their grace period');
    const borisSocket = await attend(second.url, boris, id);
    const stopped = await until('the recording stops', GRACE_SECONDS * 1000 + 15_000, async () => {
      const body = (await api(second.url, boris).get(`/api/conferences/${id}`).expect(200)).body;
      return body.recording === null || body.recording.state !== 'recording' ? body : undefined;
    });
    t.true(Date.now() - restartedAt >= GRACE_SECONDS * 1000 - 500, 'not before the grace period');
    const aliceRow = stopped.participants.find((p: { role: string }) => p.role === 'admin');
    t.false(aliceRow.present, 'alice, who never came back, has left');
    t.true(stopped.me.present, 'boris, who reconnected, is still present');
    const recordings = (await api(second.url, boris).get(`/api/conferences/${id}/recordings`).expect(200)).body;
    t.is(recordings[0].stopReason, 'all-admins-left');
    const botMessage = await until('the bot posts', 60_000, async () => {
      const chat = (await api(second.url, boris).get(`/api/conferences/${id}/chat`).expect(200)).body as Array<{ bot: boolean; text: string }>;
      return chat.find((m) => m.bot);
    });
    t.regex(botMessage.text, /автоматически/);

    borisSocket.terminate();
    await until('the conference ends', GRACE_SECONDS * 1000 + 15_000, async () => {
      const lists = (await api(second.url, boris).get('/api/conferences').expect(200)).body as { completed: Array<{ id: string }> };
      return lists.completed.some((c) => c.id === id) ? true : undefined;
    });
    t.pass('the conference moved to «Завершенные»');
  });
});

test.serial('after a clean restart nobody stays present from before: a conference nobody comes back to ends', async (t) => {
  await withAppliance(async (env, running) => {
    const first = await startProcess(env);
    running.child = first.child;
    const secret = await demoSecret(env.DATA_DIR!);
    const alice = await demoToken(secret, DEMO_USERS[0]!);
    // Joined through the API alone: no socket ever held her; the restart starts her clock anyway.
    const id: string = (await api(first.url, alice).post('/api/conferences', { title: 'Пусто' }).expect(201)).body.id;
    await stopProcess(first.child, 'SIGTERM');

    const second = await startProcess(env);
    running.child = second.child;
    t.is((await api(second.url, alice).get(`/api/conferences/${id}`).expect(200)).body.state, 'active');
    const ended = await until('the conference ends', GRACE_SECONDS * 1000 + 15_000, async () => {
      const body = (await api(second.url, alice).get(`/api/conferences/${id}`).expect(200)).body;
      return body.state === 'ended' ? body : undefined;
    });
    t.false(ended.me.present);
  });
});
