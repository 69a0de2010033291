import { quoted } from '../gst/launchSyntax.ts';

/**
 * The Matroska muxer and file sink of every segment file. Streamable Matroska never seeks back,
 * and an unbuffered sink hands each block to the kernel at once: if the worker is killed, the
 * file on disk is valid up to the last block written.
 */
export function segmentMuxerDescription(name: string, file: string): string {
  return `matroskamux name=${name} streamable=true ! filesink location=${quoted(file)} buffer-mode=unbuffered`;
}
