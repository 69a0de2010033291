import test from 'ava';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TILE_HOLD_MS } from '../../pipelines/builders/compositeLayoutDescription.ts';
import { gridLayout, type Tile } from '../../pipelines/builders/gridLayout.ts';
import { RecordingProcess, RecordingStateError, type RecordedFile, type RecordingResult, type RtpPorts } from '../../pipelines/index.ts';
import { analyseFrames } from '../../pipelines/diagnostics/frameAnalysis.ts';
import { LAYOUT_LOG_FILE, LayoutLog } from '../../pipelines/sinks/LayoutLog.ts';
import { decodeErrors, frozenPeriods, regionLuma, silentPeriods, sleep, testParams, watchRecording } from './helpers/mediaChecks.ts';
import { loudness, probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import { SyntheticParticipant, TEST_VIDEO } from './helpers/SyntheticParticipant.ts';

const canvas = { width: TEST_VIDEO.width, height: TEST_VIDEO.height };
const wholeFrame: Tile = { x: 0, y: 0, ...canvas };
const [leftTile, rightTile] = gridLayout(2, canvas) as [Tile, Tile];
/** Mean luma of the colour bars is about 90; a ball on black stays far below this. */
const BARS_MEAN = 60;

function fileOfKind(t: { truthy(value: unknown, message?: string): void }, result: RecordingResult, kind: RecordedFile['kind']): RecordedFile {
  const file = result.files.find((f) => f.kind === kind);
  t.truthy(file, `the result has a ${kind} file`);
  return file as RecordedFile;
}

/** Time since `origin` in seconds, to find moments of the recording in the file. */
const secondsSince = (origin: number) => (performance.now() - origin) / 1000;

test.serial('composite: joins, leaves, a camera coming back and a camera stalling keep one HEVC recording going, and the grid follows', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const layoutTimes: number[] = [];
  let stopTimes = '';
  const madeBy = new Map<string, string>();
  recording.on('log', (line) => {
    stopTimes = /stopped: (.*)/.exec(line)?.[1] ?? stopTimes;
    const made = /([\w.-]+): (the complete file written while recording|joined from \d+ segment\(s\))$/.exec(line);
    if (made) madeBy.set(made[1]!, made[2]!);
    const shown = /layout with \d+ tile\(s\) shown after (\d+) ms/.exec(line);
    if (shown) layoutTimes.push(Number(shown[1]));
  });
  const alice = new SyntheticParticipant('alice', 'Alice', 'ball');
  const bob = new SyntheticParticipant('bob', 'Bob', 'smpte');
  t.teardown(() => {
    alice.stopSending();
    bob.stopSending();
  });

  await recording.start(testParams(t, 'composite-grid', { kind: 'composite' }));
  const origin = performance.now();
  await alice.join(recording);
  await sleep(2500);
  const bobJoined = secondsSince(origin);
  await bob.join(recording, { video: true });
  await sleep(2500);
  const bobLeft = secondsSince(origin);
  await bob.leave(recording);
  await sleep(2000);
  const bobBack = secondsSince(origin);
  const camera = await bob.addVideo(recording);
  await sleep(2500);
  const cameraOff = secondsSince(origin);
  bob.stopSending(camera); // camera off at the SFU: the input stays, no packets come
  // The tile holds its last frame, then becomes a placeholder.
  await sleep(TILE_HOLD_MS + 2500);
  const recordedSeconds = secondsSince(origin);
  const stopStarted = performance.now();
  const result = await recording.stop();
  const stopMs = performance.now() - stopStarted;

  t.false(result.interrupted);
  t.deepEqual(result.problems, []);
  const video = fileOfKind(t, result, 'video');
  const audio = fileOfKind(t, result, 'audio');
  t.deepEqual(video.codecs, ['hevc', 'aac']);
  t.deepEqual(audio.codecs, ['aac']);
  t.true(Math.abs(result.recordedMs / 1000 - recordedSeconds) < 0.5, `worker recorded ${result.recordedMs} ms, test measured ${recordedSeconds.toFixed(2)} s`);
  t.true(Math.abs(video.durationMs - result.recordedMs) < 500, `video lasts ${video.durationMs} ms for ${result.recordedMs} ms recorded`);
  t.true(Math.abs(audio.durationMs - result.recordedMs) < 500, `audio lasts ${audio.durationMs} ms`);
  // One segment, closed cleanly: nothing was left to join after stop.
  t.deepEqual(Object.fromEntries(madeBy), { 'recording.mp4': 'the complete file written while recording', 'recording-audio.m4a': 'the complete file written while recording' });
  const probed = await probeStreams(video.path);
  t.is(probed.title, 'Test composite-grid');
  t.deepEqual(probed.streams.map((s) => s.codec_tag_string), ['hvc1', 'mp4a']);
  t.is(await decodeErrors(video.path), '');
  t.true((await loudness(video.path)).maxDb > -20, 'the mixed audio inside the video is audible');
  t.true((await loudness(audio.path)).maxDb > -20, 'the audio file is audible');

  // Bob's colour bars are the only bright picture: where they are shows the grid.
  const brightness = async (at: number, tile: Tile) => (await regionLuma(video.path, at, tile)).mean;
  t.true((await brightness(bobJoined - 1, wholeFrame)) < BARS_MEAN / 2, 'Alice alone: a ball on black');
  t.true((await brightness(bobLeft - 0.8, rightTile)) > BARS_MEAN, "with Bob, the grid has his bars on the right…");
  t.true((await brightness(bobLeft - 0.8, leftTile)) < BARS_MEAN / 2, '…and Alice on the left');
  t.true((await brightness(bobBack - 0.8, wholeFrame)) < BARS_MEAN / 2, 'after Bob left, only Alice again');
  t.true((await brightness(cameraOff - 0.8, rightTile)) > BARS_MEAN, "Bob's camera came back after its input was removed and re-added");
  t.true((await brightness(cameraOff + 1.5, rightTile)) > BARS_MEAN, "a camera that stops sending keeps its last frame for a while, no black, no placeholder yet");
  const placeholder = await regionLuma(video.path, recordedSeconds - 0.6, rightTile);
  t.true(placeholder.mean > 30 && placeholder.deviation < 30, `a stalled camera turns into a placeholder (mean ${placeholder.mean.toFixed(0)}, deviation ${placeholder.deviation.toFixed(0)})`);

  // Still pictures are allowed only before Alice's first frame and once Bob's tile is a placeholder.
  const freezes = (await frozenPeriods(video.path, 0.5)).filter(([start]) => start > 1 && start < cameraOff);
  t.deepEqual(freezes, [], 'no layout change froze the picture');
  t.true(stopMs < 5000, `stop took ${Math.round(stopMs)} ms`);
  t.log(`stop → files: ${Math.round(stopMs)} ms (${stopTimes}); layout changes shown after ${layoutTimes.join(', ')} ms`);
});

test.serial('composite: pause and resume continue the same files without a gap', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const alice = new SyntheticParticipant('alice', 'Alice', 'ball');
  t.teardown(() => alice.stopSending());

  const asked = Date.now();
  const { startedAt } = await recording.start(testParams(t, 'composite-pause', { kind: 'composite', container: 'mkv', audioCodec: 'opus' }));
  // The appliance's timer counts from this moment: when the files' time 0 was, between the call and its answer.
  t.true(startedAt >= asked && startedAt <= Date.now(), `started at ${startedAt}, asked at ${asked}`);
  const origin = performance.now();
  await alice.join(recording);
  await sleep(2500);
  const firstPart = secondsSince(origin);
  await recording.pause();
  t.is(recording.state, 'paused');
  await t.throwsAsync(recording.pause(), { instanceOf: RecordingStateError, message: /cannot pause while the recording is paused/ });
  await sleep(2000);
  await recording.resume();
  const resumed = performance.now();
  await sleep(2500);
  const recordedSeconds = firstPart + secondsSince(resumed);
  const result = await recording.stop();

  t.deepEqual(result.problems, []);
  t.deepEqual(result.files.map((f) => f.kind).sort(), ['audio', 'video'], 'one video and one audio file, no separate file after the pause');
  const video = fileOfKind(t, result, 'video');
  t.true(video.path.endsWith('.mkv'));
  t.deepEqual(video.codecs, ['hevc', 'opus']);
  // The worker's clock counts what the segments ran; the test's own clock, taken across process
  // boundaries and the layout start on resume, agrees with it only roughly.
  t.true(Math.abs(result.recordedMs / 1000 - recordedSeconds) < 0.5, `worker recorded ${result.recordedMs} ms, test measured ${recordedSeconds.toFixed(2)} s (pause excluded)`);
  t.true(Math.abs(video.durationMs - result.recordedMs) < 500, `video lasts ${video.durationMs} ms for ${result.recordedMs} ms recorded`);
  const { streams } = await probeStreams(video.path);
  for (const stream of streams) {
    t.true(Math.abs(Number(stream.duration ?? video.durationMs / 1000) * 1000 - result.recordedMs) < 500, `${stream.codec_name} lasts ${stream.duration} s`);
  }
  t.true((await loudness(video.path, 0.5, firstPart - 0.3)).maxDb > -20, 'audible before the pause');
  t.true((await loudness(video.path, firstPart + 0.5, recordedSeconds - 0.3)).maxDb > -20, 'audible after the pause');
  t.is(await decodeErrors(video.path), '');
});

test.serial('composite: until a participant consents, the tile is a placeholder and the voice silent', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const alice = new SyntheticParticipant('alice', 'Alice', 'ball');
  const bob = new SyntheticParticipant('bob', 'Bob', 'smpte');
  t.teardown(() => {
    alice.stopSending();
    bob.stopSending();
  });

  await recording.start(testParams(t, 'composite-consent', { kind: 'composite', onlyConsenting: true }));
  const origin = performance.now();
  await recording.setConsent('alice', true);
  await alice.join(recording, { video: true });
  await bob.join(recording, { video: true, audio: true });
  await sleep(3000);
  const consented = secondsSince(origin);
  await recording.setConsent('bob', true);
  await sleep(3000);
  const recordedSeconds = secondsSince(origin);
  const result = await recording.stop();

  t.deepEqual(result.problems, []);
  const video = fileOfKind(t, result, 'video');
  const before = await regionLuma(video.path, consented - 1, rightTile);
  const after = await regionLuma(video.path, recordedSeconds - 1, rightTile);
  t.true(before.mean > 30 && before.deviation < 30, `placeholder before consent (mean ${before.mean.toFixed(0)}, deviation ${before.deviation.toFixed(0)})`);
  t.true(after.deviation > 40, `Bob's picture after consent (deviation ${after.deviation.toFixed(0)})`);
  t.true((await loudness(video.path, 0.2, consented - 0.3)).maxDb < -60, 'silent before consent');
  t.true((await loudness(video.path, consented + 0.7, recordedSeconds - 0.3)).maxDb > -20, 'audible after consent');
});

test.serial('composite: a recording started with four cameras on shows everyone from its first frame, each camera within 2 s', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const people = ['Anna', 'Boris', 'Vera', 'Gleb'].map((name) => new SyntheticParticipant(name.toLowerCase(), name, 'smpte'));
  t.teardown(() => people.forEach((person) => person.stopSending()));
  const inputs = people.map((person) => person.presentAtStart());
  const params = testParams(t, 'composite-first-frame', { kind: 'composite' });
  const { ports } = await recording.start(params, inputs.flat());
  people.forEach((person, index) => inputs[index]!.forEach((spec) => person.send(spec, ports[spec.inputId] as RtpPorts)));
  await sleep(5000);
  const result = await recording.stop();

  t.deepEqual(result.problems, []);
  const video = fileOfKind(t, result, 'video');
  const analysis = await analyseFrames(video.path, { layoutLog: path.join(params.outputDir, LAYOUT_LOG_FILE) });
  t.log(`frame analysis: ${JSON.stringify(analysis)}`);
  t.is(analysis.blackSeconds, 0, 'no black frame');
  t.deepEqual(Object.keys(analysis.placeholderSeconds ?? {}).sort(), ['Anna', 'Boris', 'Gleb', 'Vera']);
  for (const [name, seconds] of Object.entries(analysis.placeholderSeconds ?? {})) t.true(seconds <= 2, `${name}'s camera shown after ${seconds} s`);
  const tiles = gridLayout(4, canvas);
  for (const [index, tile] of tiles.entries()) {
    const first = await regionLuma(video.path, 0, tile);
    t.true(first.mean > 30, `tile ${index} shows a placeholder or a picture in the first frame, not black (mean ${first.mean.toFixed(0)})`);
    const later = await regionLuma(video.path, 3, tile);
    t.true(later.deviation > 40, `tile ${index} shows its camera's colour bars at 3 s (deviation ${later.deviation.toFixed(0)})`);
  }
});

test.serial('composite: under CPU pressure the picture degrades but never goes black, and the audio keeps going', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const people = ['Anna', 'Boris', 'Vera', 'Gleb'].map((name) => new SyntheticParticipant(name.toLowerCase(), name, 'ball'));
  // Busy loops, one per core, competing with the recording at the same priority for its whole length.
  const hogs = os.cpus().map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  t.teardown(() => {
    people.forEach((person) => person.stopSending());
    hogs.forEach((hog) => hog.kill('SIGKILL'));
  });
  const inputs = people.map((person) => person.presentAtStart());
  const params = testParams(t, 'composite-under-load', { kind: 'composite' });
  const { ports } = await recording.start(params, inputs.flat());
  people.forEach((person, index) => inputs[index]!.forEach((spec) => person.send(spec, ports[spec.inputId] as RtpPorts)));
  // The senders stand for browsers on other machines: the load is the recorder's alone to bear.
  for (const pid of people.flatMap((person) => person.senderPids())) os.setPriority(pid, -10);
  await sleep(10_000);
  const result = await recording.stop();
  hogs.forEach((hog) => hog.kill('SIGKILL'));

  t.deepEqual(result.problems, []);
  const video = fileOfKind(t, result, 'video');
  const audio = fileOfKind(t, result, 'audio');
  const analysis = await analyseFrames(video.path, { layoutLog: path.join(params.outputDir, LAYOUT_LOG_FILE) });
  t.log(`frame analysis under load: ${JSON.stringify(analysis)}`);
  t.is(analysis.blackSeconds, 0, 'no black frame');
  // Every camera kept sending: once shown, none turned back into a placeholder (late frames hold the tile).
  const shownAt = new Map<string, number>();
  for (const { atMs, tiles } of LayoutLog.read(path.join(params.outputDir, LAYOUT_LOG_FILE))) {
    for (const tile of tiles) {
      if (tile.shows === 'video') shownAt.set(tile.participantName, shownAt.get(tile.participantName) ?? atMs);
      else t.false(shownAt.has(tile.participantName), `${tile.participantName} turned into a placeholder at ${atMs} ms after being shown from ${shownAt.get(tile.participantName)} ms`);
    }
  }
  t.deepEqual([...shownAt.keys()].sort(), ['Anna', 'Boris', 'Gleb', 'Vera'], 'every camera was shown');
  const gaps = await silentPeriods(audio.path, 0.3);
  t.deepEqual(gaps.filter(([start]) => start > 0.5), [], 'the mixed audio never dropped out');
});
