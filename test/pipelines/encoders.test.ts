import test from 'ava';
import { EncoderUnavailableError, HEVC_ENCODERS, RecordingProcess, probeEncoders } from '../../pipelines/index.ts';

test('auto picks a working encoder; on a machine without a GPU that is x265enc', async (t) => {
  const probe = await probeEncoders('auto');
  t.true(probe.available.includes('x265enc'), 'the software encoder passes its test encode');
  t.true(probe.chosen === probe.available[0], 'the first working encoder is chosen');
  t.is(probe.hardware, probe.chosen !== 'x265enc');
  t.deepEqual(
    probe.available,
    HEVC_ENCODERS.filter((e) => (probe.available as string[]).includes(e)),
    'available encoders keep the order of preference',
  );
});

test('forcing the software encoder works', async (t) => {
  const probe = await probeEncoders('x265enc');
  t.is(probe.chosen, 'x265enc');
  t.false(probe.hardware);
});

test('forcing an encoder that is not here is a clear error', async (t) => {
  const { available } = await probeEncoders('auto');
  const missing = HEVC_ENCODERS.find((e) => !available.includes(e));
  if (missing === undefined) return t.pass('every known encoder works on this machine');
  const error = await t.throwsAsync(probeEncoders(missing), { instanceOf: EncoderUnavailableError });
  t.is(error?.encoder, missing);
  t.regex(error?.message ?? '', /not available/);
});

test('a name that is no HEVC encoder is refused', async (t) => {
  await t.throwsAsync(probeEncoders('x264enc'), { instanceOf: EncoderUnavailableError, message: /not an HEVC encoder/ });
});

test('a spare worker told the encoder preloads that one only, so the log holds no lookups of absent ones', async (t) => {
  const logLines = async (process: RecordingProcess) => {
    const lines: string[] = [];
    process.on('log', (line) => lines.push(line));
    process.prepare();
    await new Promise<void>((resolve) => process.on('log', (line) => (/GStreamer elements loaded/.test(line) ? resolve() : undefined)));
    process.discard();
    return lines;
  };
  const told = await logLines(new RecordingProcess({ encoder: 'x265enc' }));
  t.deepEqual(told.filter((line) => /no element/.test(line)), []);
  // Without the probe's pick every known encoder is tried: the absent ones are looked up in vain.
  const { available } = await probeEncoders('auto');
  if (available.length === HEVC_ENCODERS.length) return t.pass('every known encoder exists on this machine: nothing to look up in vain');
  const untold = await logLines(new RecordingProcess());
  t.true(untold.some((line) => /no element/.test(line)), untold.join('\n'));
});
