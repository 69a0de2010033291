import type { AudioCodec } from '../params/RecordingParams.ts';

/** Mixed speech and room sound in stereo: these rates are transparent for it at a small size. */
const BITRATE_BPS: Record<AudioCodec, number> = { aac: 128_000, opus: 96_000 };

/** Raw audio in, encoded 48 kHz stereo out. */
export function audioEncoderDescription(codec: AudioCodec): string {
  const encoder = codec === 'aac' ? 'avenc_aac' : 'opusenc';
  return `audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=2 ! ${encoder} bitrate=${BITRATE_BPS[codec]}`;
}
