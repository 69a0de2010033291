import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { FinaliseError, MediaToolTimeoutError } from '../errors.ts';
import { PROBE_TIMEOUT_MS, runMediaTool } from '../tools/runMediaTool.ts';

export interface MediaFileFacts {
  sizeBytes: number;
  durationMs: number;
  codecs: string[];
}

/**
 * Size, duration and codecs (read by ffprobe, unless `probed` already did) of a finished file:
 * reads its header and index, not its media, so it takes the same moment for any length. The
 * checksum, which must read every byte, is left to `sha256Of` once the links are out.
 */
export async function describeMediaFile(file: string, probed?: MediaProbe): Promise<MediaFileFacts> {
  const [{ size }, { durationMs, codecs }] = await Promise.all([fs.stat(file), probed ?? probeMedia(file)]);
  return { sizeBytes: size, durationMs, codecs };
}

export interface MediaProbe {
  durationMs: number;
  /** Timestamp of the first packet. */
  startMs: number;
  codecs: string[];
}

export async function probeMedia(file: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<MediaProbe> {
  let stdout: string;
  try {
    ({ stdout } = await runMediaTool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration,start_time:stream=codec_name', '-of', 'json', file], timeoutMs));
  } catch (error) {
    if (error instanceof MediaToolTimeoutError) throw error;
    throw new FinaliseError(`ffprobe cannot read ${file}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
  const parsed = JSON.parse(stdout) as { format?: { duration?: string; start_time?: string }; streams?: Array<{ codec_name?: string }> };
  const milliseconds = (seconds: string | undefined) => (Number.isFinite(Number(seconds)) ? Math.round(Number(seconds) * 1000) : 0);
  return {
    durationMs: milliseconds(parsed.format?.duration),
    startMs: milliseconds(parsed.format?.start_time),
    codecs: (parsed.streams ?? []).map((s) => s.codec_name ?? 'unknown'),
  };
}

/** The SHA-256 of a file, in hex, read in chunks (hours of video never sit in memory). */
export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
