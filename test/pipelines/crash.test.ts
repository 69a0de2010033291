import test from 'ava';
import { once } from 'node:events';
import { RecordingProcess, recoverRecording } from '../../pipelines/index.ts';
import { decodeErrors, sleep, testParams, watchRecording } from './helpers/mediaChecks.ts';
import { probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import { SyntheticParticipant } from './helpers/SyntheticParticipant.ts';

test('a SIGKILLed worker leaves a playable recording, recovered and marked interrupted', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const alice = new SyntheticParticipant('alice', 'Alice');
  t.teardown(() => alice.stopSending());
  const params = testParams(t, 'crash', { kind: 'composite' });

  await recording.start(params);
  await alice.join(recording);
  await sleep(4000);
  const failed = once(recording, 'failed');
  process.kill(recording.pid ?? 0, 'SIGKILL');
  const [{ reason }] = (await failed) as [{ reason: string }];
  t.regex(reason, /SIGKILL/);
  t.is(recording.state, 'failed');

  const result = await recording.stop();
  t.true(result.interrupted);
  const video = result.files.find((f) => f.kind === 'video');
  t.truthy(video, 'the composite video survived');
  const { durationSeconds, streams } = await probeStreams(video?.path ?? '');
  t.deepEqual(streams.map((s) => s.codec_name), ['hevc', 'aac']);
  t.true(durationSeconds > 3, `${durationSeconds} s of the ~4.3 s recorded before the kill are playable`);
  t.is(await decodeErrors(video?.path ?? ''), '');
  t.deepEqual(await recoverRecording(params.outputDir), result, 'recovering again returns the same result');
});
