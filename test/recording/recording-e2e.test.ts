import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { MessengerServer, Recording, RecordingFile, RecordingMode } from '../../appliance/db/entities/index.ts';
import { LONGEST_PIPELINE_START_MS } from '../../appliance/domain/index.ts';
import type { RecordingModeSettings } from '../../appliance/domain/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { EventSocket, TestUser } from '../helpers/test-appliance.ts';
import { MediaBrowser } from '../sfu/harness/media-browser.ts';
import type { MediaPage } from '../sfu/harness/media-browser.ts';
import { loudness, probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import { analyseFrames } from '../../pipelines/diagnostics/frameAnalysis.ts';
import { LAYOUT_LOG_FILE } from '../../pipelines/sinks/LayoutLog.ts';

const run = promisify(execFile);

// Real Chromium participants with fake camera and microphone, the real SFU and real GStreamer
// pipelines: the whole path from a browser to the file the Recordings Bot links to. Small
// pictures keep two cores able to encode while two browsers run.
// One restart of a failed pipeline, then the recording ends: the killed-pipeline test sees both.
const app = TestAppliance.forFile(test, import.meta.filename, { media: true, pipelineRestartLimit: { count: 1, windowMs: 60_000 } });
let browser: MediaBrowser | undefined;
test.before(async () => {
  browser = await MediaBrowser.launch();
});
test.after.always(async () => {
  await browser?.close();
});

const SMALL: Pick<RecordingModeSettings, 'width' | 'height' | 'fps' | 'videoBitrateKbps'> = { width: 320, height: 180, fps: 15, videoBitrateKbps: 300 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server of its own per test, recording in the given mode. */
async function serverRecordingIn(kind: RecordingModeSettings['kind'], container: RecordingModeSettings['container'] = 'mp4') {
  const a = app();
  const em = a.appliance.orm.em.fork();
  const mode = em.create(RecordingMode, { id: crypto.randomUUID(), name: `e2e ${kind} ${container} ${Math.random()}`, kind, container, audioCodec: container === 'mkv' ? 'opus' : 'aac', onlyConsenting: false, ...SMALL });
  const server = await em.findOneOrFail(MessengerServer, a.servers.corporate.id);
  server.defaultModeId = mode.id;
  await em.flush();
}

interface Meeting {
  id: string;
  alice: TestUser;
  bob: TestUser;
  pages: MediaPage[];
  socket: EventSocket;
}

async function meeting(t: ExecutionContext, tag: string): Promise<Meeting> {
  const a = app();
  const alice = await a.user(a.servers.corporate, `alice-${tag}`, 'Алиса');
  const bob = await a.user(a.servers.corporate, `bob-${tag}`, 'Борис');
  const id = (await a.as(alice).post('/api/conferences', { title: `Запись ${tag}` }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  const pages = [await browser!.open(alice, a.url), await browser!.open(bob, a.url)];
  t.teardown(() => Promise.all(pages.map((p) => p.close())));
  await Promise.all(pages.map((page) => page.join(id)));
  await pages[0]!.waitFor('bob’s video', (s) => s.videos.some((v) => v.width > 0 && v.frames > 5), 30_000);
  const socket = await a.socket(alice);
  t.teardown(() => socket.close());
  return { id, alice, bob, pages, socket };
}

/** How long after the start command the pipeline began writing: where the timer was moved to. */
async function pipelineStartDelay(conferenceId: string): Promise<number | undefined> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const recording = await app().appliance.orm.em.fork().findOne(Recording, { conferenceId, state: 'recording' });
    if (recording?.runningSince && recording.runningSince.getTime() !== recording.startedAt.getTime()) return recording.runningSince.getTime() - recording.startedAt.getTime();
    await sleep(50);
  }
  return undefined;
}

async function filesOf(recordingId: string) {
  const a = app();
  const files = await a.appliance.orm.em.fork().find(RecordingFile, { recordingId });
  return files.map((file) => ({ ...file, absolute: path.join(a.appliance.config.recordingsDir, file.path) }));
}

test.serial('composite: a browser conference is recorded to HEVC with mixed audio; pause leaves no gap; links arrive within seconds and download with Range', async (t) => {
  await serverRecordingIn('composite');
  const a = app();
  const { id, alice, socket } = await meeting(t, 'composite');
  const startAsked = Date.now();
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  const [startDelayMs] = await Promise.all([pipelineStartDelay(id), sleep(4000)]);
  t.true(startDelayMs !== undefined && startDelayMs > 0 && startDelayMs < LONGEST_PIPELINE_START_MS, `the timer counts from the pipeline's start, ${startDelayMs} ms after the command`);
  t.log(`the pipeline began writing ${startDelayMs} ms after the start command`);
  const pauseAsked = Date.now();
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
  await sleep(2500);
  const resumeAsked = Date.now();
  await a.as(alice).post(`/api/conferences/${id}/recording/resume`).expect(200);
  await sleep(3000);
  const stopAsked = Date.now();
  const stopped = await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  const stoppedAt = Date.now();
  const timerAtStop = (await socket.next((e) => e.type === 'recording.stopped')).recordedMs as number;
  const ready = await socket.next((e) => e.type === 'recording.ready' || e.type === 'recording.failed', 60_000);
  const latencyMs = Date.now() - stoppedAt;
  t.is(ready.type, 'recording.ready', JSON.stringify(ready));
  t.log(`stop → links: ${latencyMs} ms`);
  t.true(latencyMs < 5000, `the links took ${latencyMs} ms`);

  const recording = await a.appliance.orm.em.fork().findOneOrFail(Recording, ready.recordingId as string);
  const files = await filesOf(recording.id);
  const video = files.find((f) => f.kind === 'video')!;
  const audio = files.find((f) => f.kind === 'audio')!;
  t.truthy(video, 'a video file');
  t.truthy(audio, 'an audio file');
  const probed = await probeStreams(video.absolute);
  t.deepEqual(probed.streams.map((s) => s.codec_type).sort(), ['audio', 'video']);
  t.is(probed.streams.find((s) => s.codec_type === 'video')?.codec_name, 'hevc');
  // Pause leaves no gap: the file lasts as long as the pipeline recorded, pauses excluded, and as
  // long as this test recorded give or take the time its commands took to reach the pipeline (the
  // 2.5 s pause would show in either).
  const fileMs = Math.round(probed.durationSeconds * 1000);
  const scheduledMs = pauseAsked - startAsked + (stopAsked - resumeAsked);
  const figures = `file ${fileMs} ms, recorded ${recording.recordedMs} ms, timer at the stop ${timerAtStop} ms, the test's own schedule ${scheduledMs} ms (${stopped.body.recording}) started ${recording.startedAt.toISOString()}`;
  t.true(Math.abs(fileMs - recording.recordedMs) < 500, figures);
  t.true(Math.abs(fileMs - scheduledMs) < 1500, figures);
  t.log(figures);
  t.true(video.codecs.includes('hevc'));
  const level = await loudness(audio.absolute);
  t.true(level.maxDb > -40, `the mixed audio is not silent (max ${level.maxDb} dB)`);
  // Both cameras were on before the start: both show from the first frame, as placeholders at most 2 s.
  const analysis = await analyseFrames(video.absolute, { layoutLog: path.join(path.dirname(video.absolute), LAYOUT_LOG_FILE) });
  t.log(`frame analysis: ${JSON.stringify(analysis)}`);
  t.is(analysis.blackSeconds, 0, 'no black frame');
  t.deepEqual(Object.keys(analysis.placeholderSeconds ?? {}).sort(), ['Алиса', 'Борис']);
  for (const [name, seconds] of Object.entries(analysis.placeholderSeconds ?? {})) t.true(seconds <= 2, `${name}'s camera shown after ${seconds} s`);

  // The bot's link downloads the same bytes, resumably.
  const message = (await socket.next((e) => e.type === 'chat.message')).message as { links: { url: string }[] };
  t.is(message.links.length, files.length);
  const link = new URL(message.links[0]!.url);
  const part = await a.as().get(`${link.pathname}${link.search}`).set('Range', 'bytes=0-99').expect(206);
  t.is(Number(part.headers['content-length']), 100);
  const whole = await a.as().get(`${link.pathname}${link.search}`).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  }).expect(200);
  const downloaded = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'download-')), 'video.mp4');
  await fs.writeFile(downloaded, whole.body as Buffer);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', downloaded]);
  t.is(stdout.trim(), 'hevc');
  // The checksum, computed once the links were out, is that of the bytes downloaded.
  await a.appliance.finisher.settle();
  const stored = await a.appliance.orm.em.fork().findOneOrFail(RecordingFile, video.id);
  t.is(stored.sha256, crypto.createHash('sha256').update(whole.body as Buffer).digest('hex'));
});

test.serial('a participant leaving and joining mid-recording keeps the recording going; separate tracks get a manifest', async (t) => {
  await serverRecordingIn('separate-tracks', 'mkv');
  const a = app();
  const { id, alice, pages, socket } = await meeting(t, 'tracks');
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await sleep(3000);
  await pages[1]!.close();
  await sleep(2000);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  const ready = await socket.next((e) => e.type === 'recording.ready' || e.type === 'recording.failed', 60_000);
  t.is(ready.type, 'recording.ready', JSON.stringify(ready));
  const files = await filesOf(ready.recordingId as string);
  const tracks = files.filter((f) => f.kind === 'track');
  t.true(tracks.length >= 4, `tracks: ${tracks.map((f) => `${f.participantName} ${f.medium}`).join(', ')}`);
  t.deepEqual([...new Set(tracks.map((f) => f.participantName))].sort(), ['Алиса', 'Борис']);
  const manifest = files.find((f) => f.kind === 'manifest');
  t.truthy(manifest);
  const parsed = JSON.parse(await fs.readFile(manifest!.absolute, 'utf8'));
  t.truthy(parsed);
});

test.serial('a killed pipeline process is restarted in a new part and the recording goes on; killed again, it ends with its parts joined into one video and one audio file', async (t) => {
  await serverRecordingIn('composite');
  const a = app();
  const { id, alice, socket } = await meeting(t, 'killed');
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec((await a.as().get('/metrics').expect(200)).text)?.[1] ?? 0);
  // Only this appliance's own workers (the recording's and the spare): other test files record at the same time.
  const killWorkers = async () => {
    const { stdout } = await run('pgrep', ['-P', String(process.pid), '-f', 'pipelines/worker/main.ts']);
    const pids = stdout.trim().split('\n').filter(Boolean).map(Number);
    t.true(pids.length >= 1);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
  };
  const restartsBefore = await metric('recording_pipeline_restarts_total');
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await sleep(4000);
  await killWorkers();
  const deadline = Date.now() + 20_000;
  while ((await metric('recording_pipeline_restarts_total')) === restartsBefore && Date.now() < deadline) await sleep(100);
  t.is(await metric('recording_pipeline_restarts_total'), restartsBefore + 1, 'the pipeline was restarted');
  const status = (await a.as(alice).get(`/api/conferences/${id}`).expect(200)).body;
  t.is(status.recording?.state, 'recording', 'the recording goes on');
  await sleep(4000);
  await killWorkers();
  const stopped = await socket.next((e) => e.type === 'recording.stopped', 30_000);
  t.is(stopped.reason, 'failure', 'a second failure within the limit ends the recording');
  t.regex((await a.as().get('/metrics').expect(200)).text, /^recording_pipeline_failures_total [2-9]/m);
  const done = await socket.next((e) => e.type === 'recording.ready' || e.type === 'recording.failed', 60_000);
  t.is(done.type, 'recording.ready', 'what was recorded is kept');
  const message = (await socket.next((e) => e.type === 'chat.message')).message as { text: string; links: unknown[] };
  t.regex(message.text, /сбоя/);
  t.regex(message.text, /прерывалась .* 2 раза; не записано (\d\d:\d\d|меньше секунды)/, 'the chat hears how often and how long it was cut');
  const files = await filesOf(done.recordingId as string);
  t.deepEqual(files.map((f) => f.kind).sort(), ['audio', 'video'], 'the parts are joined: one video file and one audio file');
  t.is(message.links.length, 2, 'the bot links the one video and the one audio');
  const [, minutes, seconds] = /\((\d+):(\d+)\)\./.exec(message.text) ?? [];
  const statedSeconds = Number(minutes) * 60 + Number(seconds);
  t.true(statedSeconds >= 6, `both parts are in the files (${statedSeconds} s)`);
  for (const file of files) {
    const probed = await probeStreams(file.absolute);
    t.true(Math.abs(probed.durationSeconds - statedSeconds) <= 1, `${file.path} lasts ${probed.durationSeconds} s, the bot says ${statedSeconds} s`);
    if (file.kind === 'video') t.is(probed.streams.find((s) => s.codec_type === 'video')?.codec_name, 'hevc');
  }
});
