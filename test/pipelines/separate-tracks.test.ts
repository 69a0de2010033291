import test from 'ava';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RecordingProcess, RecordingStateError, type ManifestTrack } from '../../pipelines/index.ts';
import { decodeErrors, sleep, testParams, watchRecording } from './helpers/mediaChecks.ts';
import { loudness } from '../../pipelines/diagnostics/mediaProbe.ts';
import { SyntheticParticipant } from './helpers/SyntheticParticipant.ts';

test('separate tracks: a file per participant and medium (VP8, H.264, Opus as received), a manifest placing them, and pause without gaps', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
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
  // A track starts with its first packet, which a loaded machine's sender may send late; every
  // track lasts to the end, so start + duration must land on the recording's end (pause excluded:
  // a pause left in a file would push its end 1.5 s too far).
  for (const track of [aliceAudio, bobAudio, entry('alice', 'video'), entry('bob', 'video')]) {
    const end = (track?.startMs ?? 0) + (track?.durationMs ?? 0);
    t.true(Math.abs(end - manifest.recordedMs) < 400, `${track?.file} spans ${track?.startMs}–${end} ms of ${manifest.recordedMs} ms`);
  }
  t.true((aliceAudio?.startMs ?? Infinity) < (bobAudio?.startMs ?? 0), 'Alice is placed before Bob');
  t.true((bobAudio?.startMs ?? 0) >= bobJoinedMs - 100, `Bob starts at ${bobAudio?.startMs} ms, not before he joined at ${Math.round(bobJoinedMs)} ms`);
  t.true((aliceAudio?.durationMs ?? Infinity) < recordedMs + 300, `Alice's audio lasts ${aliceAudio?.durationMs} ms, no longer than the ${Math.round(recordedMs)} ms recorded`);
  for (const track of tracks) {
    t.is(await decodeErrors(track.path), '', `${track.path} decodes cleanly`);
    if (track.medium === 'audio') t.true((await loudness(track.path)).maxDb > -20, `${track.path} is audible`);
  }
  t.true(keyframeRequests.filter((id) => id.startsWith('alice-video')).length >= 2, 'a keyframe is asked for at the start and after the pause');
});
