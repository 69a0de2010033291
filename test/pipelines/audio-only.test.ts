import test from 'ava';
import { performance } from 'node:perf_hooks';
import { InputError, RecordingProcess } from '../../pipelines/index.ts';
import { decodeErrors, sleep, testParams, watchRecording } from './helpers/mediaChecks.ts';
import { loudness } from '../../pipelines/diagnostics/mediaProbe.ts';
import { SyntheticParticipant } from './helpers/SyntheticParticipant.ts';

test('audio-only: many voices mixed into one file, the mixer growing past its first slots in a brief switch', async (t) => {
  const recording = new RecordingProcess();
  watchRecording(t, recording);
  const switches: number[] = [];
  const made: string[] = [];
  recording.on('log', (line) => {
    const replaced = /segment replaced for \d+ audio slots; switch took (\d+) ms/.exec(line);
    if (replaced) switches.push(Number(replaced[1]));
    const output = / (recording\.mka: .+)$/.exec(line);
    if (output) made.push(output[1]!);
  });
  const people = Array.from({ length: 5 }, (_, i) => new SyntheticParticipant(`p${i}`, `Person ${i}`));
  t.teardown(() => people.forEach((p) => p.stopSending()));

  await recording.start(testParams(t, 'audio-only', { kind: 'audio-only', container: 'mkv', audioCodec: 'opus' }));
  const origin = performance.now();
  const camera = { inputId: 'camera', participantId: 'p0', participantName: 'Person 0', kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90_000, ssrc: 1 } as const;
  await t.throwsAsync(recording.addInput(camera), { instanceOf: InputError, message: /audio inputs only/ });
  for (const person of people) await person.join(recording, { audio: true });
  await sleep(2500);
  const [first, second] = people;
  await first?.leave(recording);
  await second?.leave(recording);
  await sleep(2000);
  const recordedSeconds = (performance.now() - origin) / 1000;
  const result = await recording.stop();

  t.deepEqual(result.problems, []);
  t.is(result.files.length, 1);
  const [audio] = result.files;
  t.is(audio?.kind, 'audio');
  t.true(audio?.path.endsWith('recording.mka'));
  t.deepEqual(audio?.codecs, ['opus']);
  // The replaced segment ended the complete file written beside the first: the two are joined.
  t.deepEqual(made, ['recording.mka: joined from 2 segment(s)']);
  t.true(Math.abs(result.recordedMs / 1000 - recordedSeconds) < 0.8, `worker recorded ${result.recordedMs} ms, test measured ${recordedSeconds.toFixed(2)} s`);
  t.true(Math.abs((audio?.durationMs ?? 0) - result.recordedMs) < 500, `audio lasts ${audio?.durationMs} ms for ${result.recordedMs} ms recorded`);
  t.true((await loudness(audio?.path ?? '', 0.5, recordedSeconds - 0.3)).meanDb > -30, 'voices are audible throughout');
  t.is(await decodeErrors(audio?.path ?? ''), '');
  t.is(switches.length, 1, 'the fifth voice made the mixer grow once');
  t.true((switches[0] ?? Infinity) < 1000, `segment switch took ${switches[0]} ms`);
  t.log(`segment switch (mixer growth) took ${switches[0]} ms`);
});
