import test from 'ava';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RecordingProcess, RecordingStateError, type ManifestTrack } from '../../pipelines/index.ts';
import { decodeErrors, killWorkerOnTeardown, loudness, sleep, testParams } from './helpers/mediaChecks.ts';
import { SyntheticParticipant } from './helpers/SyntheticParticipant.ts';

test('separate tracks: a file per participant and medium (VP8, H.264, Opus as received), a manifest placing them, and pause without gaps', async (t) => {
  const recording = new RecordingProcess();
  killWorkerOnTeardown(t, recording);
  const keyframeRequests: string[] = [];
  recording.on('keyframeNeeded', ({ inputId }) => keyframeRequests.push(inputId));
  const alice = new SyntheticParticipant('alice', 'Alice', 'ball');
  const bob = new SyntheticParticipant('bob', 'Bob', 'smpte');
  t.teardown(() => {
    alice.stopSending();
    bob.stopSending();
  });

  await recording.start(testParams(t, 'tracks', { kind: 'separate-tracks', container: 'mkv', audioCodec: 'opus' }));
  const origin = performance.now();
  await alice.join(recording);
  await sleep(2000);
  const bobJoinedMs = performance.now() - origin;
  await bob.join(recording, { audio: true });
  await bob.addVideo(recording, 'H264');
  await sleep(2000);
  const beforePause = performance.now() - origin;
  await recording.pause();
  await t.throwsAsync(recording.pause(), { instanceOf: RecordingStateError });
  await sleep(1500);
  await recording.resume();
  const resumed = performance.now();
  await sleep(2500);
  const recordedMs = beforePause + (performance.now() - resumed);
  const result = await recording.stop();

  t.deepEqual(result.problems, []);
  const tracks = result.files.filter((f) => f.kind === 'track');
  t.deepEqual(tracks.map((f) => `${f.participantId}/${f.medium}/${f.codecs.join()}`).sort(), ['alice/audio/opus', 'alice/video/vp8', 'bob/audio/opus', 'bob/video/h264']);
  const manifestFile = result.files.find((f) => f.kind === 'manifest');
  t.truthy(manifestFile);
  const manifest = JSON.parse(fs.readFileSync(manifestFile?.path ?? '', 'utf8')) as { tracks: ManifestTrack[]; recordedMs: number };
  t.true(Math.abs(manifest.recordedMs - recordedMs) < 300, `manifest says ${manifest.recordedMs} ms recorded, measured ${Math.round(recordedMs)}`);
  const entry = (participant: string, medium: string) => manifest.tracks.find((m) => m.participantId === participant && m.medium === medium);
  const aliceAudio = entry('alice', 'audio');
  const bobAudio = entry('bob', 'audio');
  t.true((aliceAudio?.startMs ?? Infinity) < 300, `Alice starts at ${aliceAudio?.startMs} ms`);
  t.true(Math.abs((bobAudio?.startMs ?? 0) - bobJoinedMs) < 300, `Bob starts at ${bobAudio?.startMs} ms, joined at ${Math.round(bobJoinedMs)} ms`);
  t.true(Math.abs((aliceAudio?.durationMs ?? 0) - recordedMs) < 500, `Alice's audio lasts ${aliceAudio?.durationMs} ms (pause excluded)`);
  t.true(Math.abs((bobAudio?.durationMs ?? 0) - (recordedMs - bobJoinedMs)) < 500, `Bob's audio lasts ${bobAudio?.durationMs} ms`);
  for (const track of tracks) {
    t.is(await decodeErrors(track.path), '', `${track.path} decodes cleanly`);
    if (track.medium === 'audio') t.true((await loudness(track.path)).maxDb > -20, `${track.path} is audible`);
  }
  t.true(keyframeRequests.filter((id) => id.startsWith('alice-video')).length >= 2, 'a keyframe is asked for at the start and after the pause');
});
