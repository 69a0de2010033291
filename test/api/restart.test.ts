import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import request from 'supertest';
import { DEMO_USERS, demoSecret, demoToken } from '../../appliance/auth/demo-identities.ts';
import { probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { UNMETERED_DISK } from '../helpers/test-appliance.ts';
import { startProcess } from '../helpers/appliance-process.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a killed and restarted appliance still has the conference and the recording, with the timer right', async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-restart-'));
  const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir, DEMO: 'true', ...UNMETERED_DISK };
  let running: ChildProcess | undefined;
  try {
    const first = await startProcess(env);
    running = first.child;
    const secret = await demoSecret(dataDir);
    const [alice, boris] = [await demoToken(secret, DEMO_USERS[0]!), await demoToken(secret, DEMO_USERS[1]!)];
    const api = (url: string, token: string) => ({
      get: (p: string) => request(url).get(p).set('Authorization', `Bearer ${token}`),
      post: (p: string, body: object = {}) => request(url).post(p).set('Authorization', `Bearer ${token}`).send(body),
    });
    const id = (await api(first.url, alice).post('/api/conferences', { title: 'Перезапуск' }).expect(201)).body.id;
    await api(first.url, boris).post(`/api/conferences/${id}/join`).expect(200);
    // Each command takes effect somewhere between its sending and its answer; on a busy machine
    // that may be a good part of a second, so the checks below bracket it rather than guess it.
    const startSentAt = Date.now();
    await api(first.url, alice).post(`/api/conferences/${id}/recording/start`).expect(200);
    await sleep(600);
    await api(first.url, alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
    const pausedBy = Date.now();
    // The timer counts from when the pipeline began writing, a moment after the command: what it
    // held at the pause says how much was recorded.
    const recordedBeforePause = (await api(first.url, alice).get(`/api/conferences/${id}`).expect(200)).body.recording.recordedMs as number;
    t.true(recordedBeforePause > 0 && recordedBeforePause <= pausedBy - startSentAt, `${recordedBeforePause} ms recorded before the pause, ${pausedBy - startSentAt} ms between the commands`);
    await sleep(800);
    const resumeSentAt = Date.now();
    await api(first.url, alice).post(`/api/conferences/${id}/recording/resume`).expect(200);
    const resumedBy = Date.now();
    // A crash, not a clean stop.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await sleep(500);

    const second = await startProcess(env);
    running = second.child;
    const viewSentAt = Date.now();
    const view = await api(second.url, boris).get(`/api/conferences/${id}`).expect(200);
    const viewedBy = Date.now();
    // The time the appliance lay dead counts: the recording was running all along.
    const earliest = recordedBeforePause + (viewSentAt - resumedBy);
    const latest = recordedBeforePause + (viewedBy - resumeSentAt);
    t.is(view.body.state, 'active');
    t.deepEqual(view.body.participants.map((p: { present: boolean }) => p.present), [true, true]);
    t.is(view.body.recording.state, 'recording');
    const { recordedMs } = view.body.recording as { recordedMs: number };
    t.true(recordedMs >= earliest - 20 && recordedMs <= latest + 20, `timer ${recordedMs} ms, expected ${earliest}…${latest} ms`);
    t.true(view.body.me.pendingPrompt !== null, 'the unanswered question survives too');
    await api(second.url, alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  } finally {
    running?.kill('SIGTERM');
    if (running && running.exitCode === null) await new Promise((resolve) => running!.once('exit', resolve));
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});

test.serial('a recording cut by a SIGKILLed appliance ends as one video and one audio file, as long as the bot says, with the cut told', async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-cut-'));
  const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir, DEMO: 'true', ...UNMETERED_DISK };
  let running: ChildProcess | undefined;
  try {
    const first = await startProcess(env);
    running = first.child;
    const alice = await demoToken(await demoSecret(dataDir), DEMO_USERS[0]!);
    const api = (url: string) => ({
      get: (p: string) => request(url).get(p).set('Authorization', `Bearer ${alice}`),
      post: (p: string, body: object = {}) => request(url).post(p).set('Authorization', `Bearer ${alice}`).send(body),
    });
    const id = (await api(first.url).post('/api/conferences', { title: 'Обрыв' }).expect(201)).body.id;
    await api(first.url).post(`/api/conferences/${id}/recording/start`).expect(200);
    const recordingId = (await api(first.url).get(`/api/conferences/${id}`).expect(200)).body.recording.id as string;
    await sleep(5000);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await sleep(2000);

    const second = await startProcess(env);
    running = second.child;
    await sleep(5000);
    await api(second.url).post(`/api/conferences/${id}/recording/stop`).expect(200);
    let message: { text: string } | undefined;
    const deadline = Date.now() + 120_000;
    while (message === undefined && Date.now() < deadline) {
      const chat = (await api(second.url).get(`/api/conferences/${id}/chat`).expect(200)).body as Array<{ authorName: string; text: string }>;
      message = chat.find((m) => m.authorName === 'Recordings Bot');
      if (message === undefined) await sleep(500);
    }
    t.truthy(message, 'the bot posted the links');
    t.log(message?.text);
    const links = (await api(second.url).post(`/api/recordings/${recordingId}/links`).expect(200)).body.files as Array<{ kind: string }>;
    t.deepEqual(links.map((f) => f.kind).sort(), ['audio', 'video'], 'one video file and one audio file');

    const recordingDir = path.join(dataDir, 'recordings', recordingId);
    const media = (await fs.readdir(recordingDir, { recursive: true })).filter((f) => /\.(mp4|m4a)$/.test(f));
    t.deepEqual(media.sort(), ['recording-audio.m4a', 'recording.mp4'], 'no part keeps a file of its own');
    const [, minutes, seconds] = /\((\d+):(\d+)\)\./.exec(message?.text ?? '') ?? [];
    const statedSeconds = Number(minutes) * 60 + Number(seconds);
    const durations: number[] = [];
    for (const file of media) {
      const { durationSeconds } = await probeStreams(path.join(recordingDir, file));
      durations.push(durationSeconds);
      t.true(Math.abs(durationSeconds - statedSeconds) <= 1, `${file} lasts ${durationSeconds} s, the bot says ${statedSeconds} s`);
    }
    // Sound and picture stay in step after the cut: the killed part lost more picture than sound.
    t.true(Math.abs(durations[0]! - durations[1]!) <= 0.1, `the files last ${durations.join(' s and ')} s`);
    t.true(statedSeconds >= 6, `both parts are in the files (${statedSeconds} s)`);
    t.regex(message?.text ?? '', /прерывалась .* 1 раз; не записано (\d\d:\d\d|меньше секунды)/);
  } finally {
    running?.kill('SIGTERM');
    if (running && running.exitCode === null) await new Promise((resolve) => running!.once('exit', resolve));
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
