import test from 'ava';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
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

test('a worker whose supervisor is killed exits instead of running on as an orphan', async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', 'test/pipelines/helpers/orphanWorker.ts']).catch((error: { stdout: string }) => error);
  const pid = Number(stdout.trim());
  t.true(pid > 0, `the worker's pid: ${stdout}`);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 15_000;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) process.kill(pid, 'SIGKILL');
  t.false(alive(), 'the orphaned worker exited by itself');
});
