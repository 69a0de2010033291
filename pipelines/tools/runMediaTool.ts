import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MediaToolTimeoutError } from '../errors.ts';

const run = promisify(execFile);

/** ffprobe reads a file's header and index, whatever its length. */
export const PROBE_TIMEOUT_MS = 30_000;
/** A stream copy reads and writes every byte: hours of recording, on a slow disk, with room to spare. */
export const COPY_TIMEOUT_MS = 15 * 60_000;

/**
 * Runs ffmpeg or ffprobe and gives its output, killing it if it runs past `timeoutMs`: an input
 * that never delivers data (a stalled mount, a FIFO) would otherwise hold a finishing recording
 * for ever. SIGKILL, because a tool blocked in a read may not get to handle anything gentler.
 */
export async function runMediaTool(tool: 'ffmpeg' | 'ffprobe', args: readonly string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(tool, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  } catch (error) {
    if ((error as { killed?: boolean }).killed) throw new MediaToolTimeoutError(tool, args, timeoutMs);
    throw error;
  }
}
