import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);

interface Report {
  ok: boolean;
  mode: string;
  participants: number;
  seconds: number;
  stopToLinkMs: number;
  encoder: string | null;
  realtimeFactor: number | null;
  cpuSecondsPerRecordedSecond: number;
  files: Array<{ name: string; kind: string; sizeBytes: number; durationMs: number | null; codecs: string[]; checks: Record<string, boolean> }>;
}

/** The command the deployment runs, as a child process: its stdout must be the report alone. */
async function selftest(args: string[]): Promise<{ report: Report; stderr: string }> {
  const { stdout, stderr } = await run('npm', ['run', '-s', 'selftest', '--', ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 90_000 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`selftest failed: ${error.message}\n${error.stderr ?? ''}\n${error.stdout ?? ''}`);
  });
  return { report: JSON.parse(stdout) as Report, stderr };
}

function assertFilesHold(t: { true(value: boolean, message?: string): void }, report: Report): void {
  for (const file of report.files) t.true(Object.values(file.checks).every(Boolean), `${file.name}: ${JSON.stringify(file.checks)}`);
}

test.serial('selftest records two synthetic participants in composite mode and every check holds', async (t) => {
  const { report, stderr } = await selftest(['--participants', '2', '--seconds', '6']);
  t.log(stderr.split('\n').filter((line) => line.startsWith('selftest:')).join('\n'));
  t.true(report.ok, JSON.stringify(report, null, 2));
  t.like(report, { mode: 'composite', participants: 2, seconds: 6 });
  t.true(report.stopToLinkMs > 0 && report.stopToLinkMs < 10_000, `stop → links ${report.stopToLinkMs} ms`);
  t.truthy(report.encoder);
  t.true((report.realtimeFactor ?? 0) > 0.8, `realtime factor ${report.realtimeFactor}`);
  t.true(report.cpuSecondsPerRecordedSecond > 0);
  const video = report.files.find((file) => file.kind === 'video');
  t.truthy(video, 'a composite video file');
  t.true(video!.codecs.includes('hevc'));
  t.true(video!.checks.audible);
  assertFilesHold(t, report);
});

test.serial('selftest in audio-only mode links an audible audio file and no video', async (t) => {
  const { report } = await selftest(['--mode', 'audio-only', '--seconds', '4']);
  t.true(report.ok, JSON.stringify(report, null, 2));
  t.like(report, { mode: 'audio-only', participants: 2, seconds: 4 });
  t.deepEqual(report.files.map((file) => file.kind), ['audio']);
  t.true(report.files[0]!.checks.audible);
  assertFilesHold(t, report);
});
