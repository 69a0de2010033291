import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EncoderUnavailableError } from '../errors.ts';
import { HEVC_ENCODERS, SOFTWARE_HEVC_ENCODER, hevcEncoderDescription, isHevcEncoder, type HevcEncoder } from './hevcEncoders.ts';

const run = promisify(execFile);

export interface EncoderProbe {
  chosen: HevcEncoder;
  /** Every known encoder that exists here and passed a test encode, in order of preference. */
  available: HevcEncoder[];
  hardware: boolean;
}

const TEST_ENCODE_TIMEOUT_MS = 15_000;

/**
 * Finds the HEVC encoder to record with. `preference` is `auto` (first working hardware encoder,
 * else x265enc) or an element name, which must work or the probe throws.
 *
 * Probing runs `gst-inspect-1.0`/`gst-launch-1.0` child processes rather than the Node binding:
 * a broken GPU driver can crash the process that loads it, and that must not be the appliance.
 */
export async function probeEncoders(preference: string): Promise<EncoderProbe> {
  if (preference !== 'auto' && !isHevcEncoder(preference)) {
    throw new EncoderUnavailableError(preference, `not an HEVC encoder this recorder drives (known: auto, ${HEVC_ENCODERS.join(', ')})`);
  }
  const available: HevcEncoder[] = [];
  const reasons = new Map<HevcEncoder, string>();
  for (const encoder of HEVC_ENCODERS) {
    const failure = await testEncoder(encoder);
    if (failure === undefined) available.push(encoder);
    else reasons.set(encoder, failure);
  }
  const chosen = preference === 'auto' ? available[0] : available.find((e) => e === preference);
  if (chosen === undefined) {
    const wanted = preference === 'auto' ? SOFTWARE_HEVC_ENCODER : preference;
    const reason = reasons.get(wanted as HevcEncoder) ?? 'unknown';
    throw new EncoderUnavailableError(wanted, `${reason} (working here: ${available.join(', ') || 'none'})`);
  }
  return { chosen, available, hardware: chosen !== SOFTWARE_HEVC_ENCODER };
}

/** Returns why the encoder cannot be used, or undefined when a tiny encode succeeded. */
async function testEncoder(encoder: HevcEncoder): Promise<string | undefined> {
  try {
    await run('gst-inspect-1.0', ['--exists', encoder]);
  } catch {
    return 'no such GStreamer element here (its plugin, hardware or driver is missing)';
  }
  const description =
    'videotestsrc num-buffers=10 ! video/x-raw,format=I420,width=320,height=240,framerate=15/1 ! ' +
    `${hevcEncoderDescription(encoder, { bitrateKbps: 300, keyframeInterval: 15 })} ! h265parse ! fakesink`;
  try {
    // gst-launch takes one token per argument; the description holds no quoted values to split.
    await run('gst-launch-1.0', ['-q', ...description.split(/\s+/)], { timeout: TEST_ENCODE_TIMEOUT_MS });
    return undefined;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
    return `the element exists but a test encode failed${detail ? `: ${detail}` : ''}`;
  }
}
