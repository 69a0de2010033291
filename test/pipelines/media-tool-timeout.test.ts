import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { MediaToolTimeoutError } from '../../pipelines/errors.ts';
import { probeMedia } from '../../pipelines/sinks/describeMediaFile.ts';

const run = promisify(execFile);

/** ffprobe processes whose command line names `file`. */
async function ffprobesOf(file: string): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-f', `ffprobe .*${file}`]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

test('an ffprobe of a FIFO that never gets data is killed at its time limit, and the error says a retry may help', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-tool-timeout-'));
  const fifo = path.join(dir, 'never-written.mkv');
  await run('mkfifo', [fifo]);
  t.teardown(async () => {
    // A probe that outlived its limit is still blocked on the FIFO: a writer that opens and closes it lets it end.
    const writer = await fs.open(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK).catch(() => null);
    await writer?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const started = Date.now();
  const outcome = await Promise.race([
    probeMedia(fifo, 1500).then(
      () => 'answered',
      (error: unknown) => error,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000)),
  ]);
  t.true(outcome instanceof MediaToolTimeoutError, String(outcome));
  const error = outcome as MediaToolTimeoutError;
  t.is(error.tool, 'ffprobe');
  t.true(error.retryable);
  t.regex(error.message, /ffprobe .*never-written\.mkv.* did not finish within 1\.5 s and was killed/);
  t.true(Date.now() - started < 5000);
  t.deepEqual(await ffprobesOf(fifo), [], 'no ffprobe is left behind');
});
