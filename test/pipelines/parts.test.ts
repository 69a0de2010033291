import { execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { JoinError, RecordingProcess, joinRecordingParts, recoverRecording, type ManifestTrack, type RecordingMode, type RecordingResult } from '../../pipelines/index.ts';
import { probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import { decodeErrors, sleep, testParams, watchRecording } from './helpers/mediaChecks.ts';
import { SyntheticParticipant } from './helpers/SyntheticParticipant.ts';

const run = promisify(execFile);

/** A recording folder as the appliance keeps one: `part-1`, `part-2`, … each written by one worker. */
async function recordingFolder(t: ExecutionContext, parent?: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(parent ?? os.tmpdir(), 'parts-'));
  t.teardown(() => (t.passed ? fs.rm(dir, { recursive: true, force: true }) : t.log(`recording kept in ${dir}`)));
  return dir;
}

/** Records one part for `seconds`, then stops it, or SIGKILLs its worker and recovers what it wrote. */
async function recordPart(t: ExecutionContext, dir: string, part: number, mode: Partial<RecordingMode> & Pick<RecordingMode, 'kind'>, seconds: number, end: 'stop' | 'kill'): Promise<RecordingResult> {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const alice = new SyntheticParticipant('alice', 'Alice');
  t.teardown(() => alice.stopSending());
  await recording.start({ ...testParams(t, `part-${part}`, mode), outputDir: path.join(dir, `part-${part}`) });
  await alice.join(recording);
  await sleep(seconds * 1000);
  alice.stopSending();
  if (end === 'stop') return recording.stop();
  const failed = once(recording, 'failed');
  process.kill(recording.pid ?? 0, 'SIGKILL');
  await failed;
  return recording.stop();
}

test('a recording cut by a killed worker becomes one video and one audio file whose length is the parts\' sum', async (t) => {
  const dir = await recordingFolder(t);
  const first = await recordPart(t, dir, 1, { kind: 'composite' }, 4, 'kill');
  const second = await recordPart(t, dir, 2, { kind: 'composite' }, 4, 'stop');
  t.true(first.interrupted);
  t.false(second.interrupted);
  const logged: string[] = [];
  const joined = await joinRecordingParts(dir, [first, second], 'Test parts', (line) => logged.push(line));

  t.deepEqual(joined.files.map((f) => f.kind).sort(), ['audio', 'video'], 'one video file and one audio file');
  t.like(joined, { parts: 2, interruptions: 1, interrupted: true });
  const partsSum = first.recordedMs + second.recordedMs;
  t.true(Math.abs(joined.recordedMs - partsSum) < 1000, `joined ${joined.recordedMs} ms, the parts ${first.recordedMs} + ${second.recordedMs} ms`);
  for (const file of joined.files) {
    const probed = await probeStreams(file.path);
    t.true(Math.abs(probed.durationSeconds * 1000 - joined.recordedMs) < 1000, `${path.basename(file.path)} lasts ${probed.durationSeconds} s, the recording ${joined.recordedMs} ms`);
    t.is(await decodeErrors(file.path), '', `${file.path} decodes cleanly`);
    t.is(path.dirname(file.path), dir, 'the joined files lie in the recording folder');
  }
  const video = await probeStreams(joined.files.find((f) => f.kind === 'video')!.path);
  t.deepEqual(video.streams.map((s) => s.codec_name), ['hevc', 'aac']);
  // The killed part lost a longer tail of picture than of sound: were the sound kept, the second
  // part's picture would run ahead of its sound by the difference.
  const audio = await probeStreams(joined.files.find((f) => f.kind === 'audio')!.path);
  t.true(Math.abs(video.durationSeconds - audio.durationSeconds) <= 0.1, `video ${video.durationSeconds} s, audio ${audio.durationSeconds} s`);
  for (const part of [first, second]) for (const file of part.files) await t.throwsAsync(fs.access(file.path), undefined, `${file.path} was joined and removed`);
  t.true(logged.some((line) => /joined 2 parts .* by stream copy in \d+ ms/.test(line)), logged.join('\n'));
  t.deepEqual(await joinRecordingParts(dir, [first, second], 'Test parts'), joined, 'joining again returns the same result');
});

test('separate tracks over two parts: one manifest places every part\'s tracks on the joined timeline', async (t) => {
  const dir = await recordingFolder(t);
  const mode = { kind: 'separate-tracks', container: 'mkv', audioCodec: 'opus' } as const;
  const first = await recordPart(t, dir, 1, mode, 3, 'kill');
  const second = await recordPart(t, dir, 2, mode, 3, 'stop');
  const joined = await joinRecordingParts(dir, [first, second], 'Test tracks');

  const manifests = joined.files.filter((f) => f.kind === 'manifest');
  t.is(manifests.length, 1, 'one manifest');
  t.is(path.dirname(manifests[0]!.path), dir);
  const manifest = JSON.parse(await fs.readFile(manifests[0]!.path, 'utf8')) as { tracks: ManifestTrack[]; recordedMs: number; parts: number };
  t.is(manifest.parts, 2);
  t.is(manifest.tracks.length, joined.files.filter((f) => f.kind === 'track').length, 'the manifest lists every track file');
  const secondPartTracks = manifest.tracks.filter((track) => track.file.startsWith('part-2/'));
  t.true(manifest.tracks.some((track) => track.file.startsWith('part-1/')) && secondPartTracks.length > 0, manifest.tracks.map((track) => track.file).join(', '));
  for (const track of secondPartTracks) t.true(track.startMs >= first.recordedMs, `${track.file} starts at ${track.startMs} ms, after the first part's ${first.recordedMs} ms`);
  for (const track of manifest.tracks) {
    await fs.access(path.join(dir, track.file));
    t.true(track.startMs + track.durationMs <= manifest.recordedMs + 500, `${track.file} ends within the recording`);
  }
  t.true(Math.abs(manifest.recordedMs - (first.recordedMs + second.recordedMs)) < 1, 'the timeline is the parts one after another');
  await t.throwsAsync(fs.access(path.join(dir, 'part-1', 'manifest.json')), undefined, 'the parts\' own manifests are replaced');
});

test('a join that fails for lack of space keeps every part, and succeeds when tried again with space back', async (t) => {
  const mountPoint = await smallDisk(t);
  const dir = await recordingFolder(t, mountPoint);
  const first = await recordPart(t, dir, 1, { kind: 'composite' }, 3, 'kill');
  const second = await recordPart(t, dir, 2, { kind: 'composite' }, 3, 'stop');
  const filler = await fillUp(mountPoint);
  const { stdout } = await run('df', ['--output=avail', '-B1', mountPoint]);
  t.log(`free on the small disk: ${stdout.trim().split('\n').pop()} bytes`);

  await t.throwsAsync(joinRecordingParts(dir, [first, second], 'Test full'), { instanceOf: JoinError, message: /no space left on device/i });
  for (const part of [first, second]) for (const file of part.files) await fs.access(file.path);
  t.deepEqual(await fs.readdir(dir), ['part-1', 'part-2'], 'nothing half-written is left beside the parts');

  await fs.rm(filler);
  const joined = await joinRecordingParts(dir, [first, second], 'Test full');
  t.deepEqual(joined.files.map((f) => f.kind).sort(), ['audio', 'video']);
  t.true(Math.abs(joined.recordedMs - (first.recordedMs + second.recordedMs)) < 1000);
});

test('a part whose own segments could not be joined for lack of space is recovered whole on a later try', async (t) => {
  const mountPoint = await smallDisk(t);
  const dir = await recordingFolder(t, mountPoint);
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const alice = new SyntheticParticipant('alice', 'Alice');
  t.teardown(() => alice.stopSending());
  const partDir = path.join(dir, 'part-1');
  await recording.start({ ...testParams(t, 'full', { kind: 'composite' }), outputDir: partDir });
  await alice.join(recording);
  await sleep(3000);
  alice.stopSending();
  const filler = await fillUp(mountPoint);
  const failed = once(recording, 'failed');
  process.kill(recording.pid ?? 0, 'SIGKILL');
  await failed;
  await t.throwsAsync(recording.stop(), { instanceOf: JoinError });
  await t.throwsAsync(recoverRecording(partDir), { instanceOf: JoinError }, 'still no space: still no files');
  t.true((await fs.readdir(path.join(partDir, 'segments'))).length > 1, 'the segments are kept');

  await fs.rm(filler);
  const result = await recoverRecording(partDir);
  t.deepEqual(result.files.map((f) => f.kind).sort(), ['audio', 'video']);
  for (const file of result.files) t.true(file.durationMs > 2500, `${path.basename(file.path)}: ${file.durationMs} ms`);
  await t.throwsAsync(fs.access(path.join(partDir, 'segments')), undefined, 'the segments are gone once joined');
});

/** A small filesystem of the test's own, so running out of space never touches the machine's disk. */
async function smallDisk(t: ExecutionContext): Promise<string> {
  const mountPoint = await fs.mkdtemp(path.join(os.tmpdir(), 'small-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]).catch((error: Error) => {
    throw new Error(`this test mounts a small tmpfs to run out of space, which needs root: ${error.message}`);
  });
  t.teardown(async () => {
    await run('umount', [mountPoint]);
    await fs.rmdir(mountPoint);
  });
  return mountPoint;
}

/** Fills the small disk to the last block; removing the returned file gives the space back. */
async function fillUp(mountPoint: string): Promise<string> {
  const filler = path.join(mountPoint, 'filler');
  // dd ends with "No space left on device", which is the point.
  await run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']).catch(() => undefined);
  return filler;
}
