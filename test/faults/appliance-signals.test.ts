import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { FileLink } from '../../appliance/access/download-gate.ts';
import { readDownloadLink } from '../../appliance/access/download-links.ts';
import type { RecordingView } from '../../appliance/conferences/views.ts';
import { readRecordingResult } from '../../pipelines/sinks/finaliseRecording.ts';
import { LiveAppliance, SyntheticConference, sleep } from './live-appliance.ts';

const SHUTDOWN_SECONDS = 20;
/** Files hold what the pipeline had encoded; the last moments before a stop may not reach them. */
const EDGE_MS = 1500;

interface Finished {
  recording: RecordingView;
  files: FileLink[];
}

/** Stops the recording and waits for the bot's links: the recording as users see it, with its files. */
async function stopAndCollect(t: ExecutionContext, conference: SyntheticConference): Promise<Finished> {
  const events = await conference.host.events();
  try {
    await conference.command('stop');
    const outcome = await conference.outcome(events);
    if (!outcome || 'failure' in outcome) t.fail(`the recording did not finish with links: ${JSON.stringify(outcome)}`);
    const recording = (await conference.host.get<RecordingView[]>(`/conferences/${conference.conferenceId}/recordings`)).at(-1)!;
    const files = (await conference.host.post<{ files: FileLink[] }>(`/recordings/${recording.id}/links`)).files;
    return { recording, files };
  } finally {
    events.close();
  }
}

/**
 * Starts the appliance again, feeds the conference for a few seconds and stops the recording: it
 * must be ready, and tell its users it broke off once. Returns how long the appliance ran after
 * the restart and how much sound each participant has in the files.
 */
async function restartAndStop(t: ExecutionContext, appliance: LiveAppliance, conference: SyntheticConference): Promise<Finished & { ranAfterMs: number; perParticipant: number }> {
  await appliance.start();
  await conference.feed(appliance.url);
  const resumedAt = Date.now();
  await sleep(3000);
  const ranAfterMs = Date.now() - resumedAt;
  const finished = await stopAndCollect(t, conference);
  t.is(finished.recording.state, 'ready');
  t.regex(finished.recording.problem ?? '', /прерывалась .* 1 раз; не записано/, 'what the users are told');
  const audioMs = finished.files.filter((file) => file.kind === 'audio').reduce((sum, file) => sum + (file.durationMs ?? 0), 0);
  const perParticipant = audioMs / (finished.files.some((file) => file.kind === 'audio' && file.participantName) ? 2 : 1);
  return { ...finished, ranAfterMs, perParticipant };
}

/**
 * A download that stays open for as long as the appliance lets it: the client reads the first
 * bytes of a large file and then nothing more. `cut` reads on once more and resolves with what the
 * client got in all when the appliance closes the connection (a paused socket never sees it).
 */
async function stalledDownload(url: string, link: string, token: string): Promise<{ cut: () => Promise<number> }> {
  const { pathname, search } = new URL(link);
  const target = new URL(url);
  const socket = net.connect(Number(target.port), target.hostname);
  socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (chunk) => {
      socket.pause();
      received += chunk.length;
      if (!String(chunk).startsWith('HTTP/1.1 200')) reject(new Error(`the download was refused: ${String(chunk).split('\r\n')[0]}`));
      resolve();
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    cut: async () => {
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('error', () => {});
      socket.resume();
      await closed;
      return received;
    },
  };
}

test.serial('SIGTERM during a stalled download ends the live recording cleanly first; after the restart it goes on and nothing is lost', async (t) => {
  t.timeout(300_000);
  const appliance = await LiveAppliance.create(import.meta.filename, { SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_SECONDS) });
  let conference: SyntheticConference | undefined;
  try {
    await appliance.start();
    conference = await SyntheticConference.open(appliance, 2, 'audio-only');
    // An earlier recording to download, made large so that its download outlasts the shutdown.
    await conference.command('start');
    await sleep(2000);
    const earlier = await stopAndCollect(t, conference);
    const link = earlier.files.find((file) => file.kind === 'audio')!;
    const fileName = readDownloadLink(link.url).name.split(' ').at(-1)!;
    const onDisk = (await fs.readdir(path.join(appliance.recordingsDir, earlier.recording.id), { recursive: true })).find((entry) => path.basename(entry) === fileName)!;
    await fs.truncate(path.join(appliance.recordingsDir, earlier.recording.id, onDisk), 1 << 30);
    const download = await stalledDownload(appliance.url, link.url, conference.tokens[0]!);

    await conference.command('start');
    const startedBy = Date.now();
    await sleep(5000);
    const live = (await conference.host.get<RecordingView[]>(`/conferences/${conference.conferenceId}/recordings`)).at(-1)!;
    const termSentAt = Date.now();
    // What systemd would do after TimeoutStopSec: the test waits a little longer than the deadline.
    const exit = await appliance.signal('SIGTERM', (SHUTDOWN_SECONDS + 10) * 1000);
    t.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, `the appliance did not exit by itself:\n${appliance.output.slice(-3000)}`);
    // Closing the job queue, the SFU and the database may add a few seconds to the deadline on a
    // busy machine; systemd's TimeoutStopSec leaves 15 s above the default deadline for them.
    t.true(exit.ms <= (SHUTDOWN_SECONDS + 10) * 1000, `the shutdown took ${exit.ms} ms`);
    const received = await download.cut();
    t.true(received < 1 << 30, `the stalled download was cut off, not served to its end (${received} bytes)`);
    const part = await readRecordingResult(path.join(appliance.recordingsDir, live.id, 'part-1'));
    t.truthy(part, 'the live pipeline finalised its part before the process ended');
    t.false(part?.interrupted ?? true, 'the part ended with end-of-stream, not recovered after a kill');
    t.true((part?.recordedMs ?? 0) >= termSentAt - startedBy - EDGE_MS, `the part holds ${part?.recordedMs} ms of the ${termSentAt - startedBy} ms recorded before SIGTERM`);

    // A clean stop still leaves the stretch the appliance was down out of the files: users hear of it.
    const { recording, ranAfterMs, perParticipant } = await restartAndStop(t, appliance, conference);
    const expected = termSentAt - startedBy + ranAfterMs;
    t.true(perParticipant >= expected - 2 * EDGE_MS, `the files hold ${perParticipant} ms of sound of the ${expected} ms recorded while the appliance ran`);
    t.log(`SIGTERM to exit ${exit.ms} ms (deadline ${SHUTDOWN_SECONDS} s, a stalled download open); files hold ${perParticipant} ms of ${expected} ms; users are told: ${recording.problem}`);
  } finally {
    conference?.stopSenders();
    await appliance.close();
  }
});

test.serial('SIGKILL mid-recording: after the restart the recording goes on, and what was written before the kill is in its files', async (t) => {
  t.timeout(300_000);
  const appliance = await LiveAppliance.create(import.meta.filename);
  let conference: SyntheticConference | undefined;
  try {
    await appliance.start();
    conference = await SyntheticConference.open(appliance, 2, 'audio-only');
    await conference.command('start');
    const startedBy = Date.now();
    await sleep(6000);
    const exit = await appliance.signal('SIGKILL');
    const killedAt = Date.now();
    t.is(exit.signal, 'SIGKILL');

    const { recording, files, ranAfterMs, perParticipant } = await restartAndStop(t, appliance, conference);
    // Segments are closed every few seconds: a kill loses at most the one being written.
    const segmentMs = 4000;
    const expected = killedAt - startedBy + ranAfterMs;
    t.true(perParticipant >= expected - segmentMs - 2 * EDGE_MS, `the files hold ${perParticipant} ms of sound of the ${expected} ms recorded while the appliance ran`);
    t.log(JSON.stringify(files.map((file) => [file.kind, file.participantName, file.durationMs])));
    t.log(`SIGKILL: files hold ${perParticipant} ms of ${expected} ms; users are told: ${recording.problem}`);
  } finally {
    conference?.stopSenders();
    await appliance.close();
  }
});
