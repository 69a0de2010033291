import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { TestAppliance } from '../helpers/test-appliance.ts';

const run = promisify(execFile);

interface Report {
  ok: boolean;
  appliance: string;
  mode: string;
  recordingMode: { name: string; width: number; height: number; fps: number };
  participants: number;
  seconds: number;
  recordedMs: number;
  stopToLinkMs: number;
  encoder: string | null;
  realtimeFactor: number | null;
  cpuSecondsPerRecordedSecond: number | null;
  cpuSeconds: { pid: number; applianceProcess: number; sfuWorkers: number; recordingPipelines: number } | null;
  checks: Record<string, boolean>;
  problems: string[];
  files: Array<{ name: string; kind: string; medium: string | null; sizeBytes: number; durationMs: number | null; startMs: number; codecs: string[]; checks: Record<string, boolean> }>;
}

/** The command the deployment runs, as a child process: its stdout must be the report alone. */
async function selftest(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ report: Report; stderr: string }> {
  const { stdout, stderr } = await run('npm', ['run', '-s', 'selftest', '--', ...args], { env, maxBuffer: 16 * 1024 * 1024, timeout: 90_000 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    // A CI log may keep only the start of a long message: the checks that failed come first.
    throw new Error(`selftest failed: ${failedChecks(error.stdout)}\n${error.message}\n${error.stderr ?? ''}\n${error.stdout ?? ''}`);
  });
  return { report: JSON.parse(stdout) as Report, stderr };
}

function failedChecks(stdout: string | undefined): string {
  let report: Report;
  try {
    report = JSON.parse(stdout ?? '') as Report;
  } catch {
    return 'no report on stdout';
  }
  const failed = (checks: Record<string, boolean>) => Object.entries(checks).filter(([, holds]) => !holds).map(([name]) => name);
  const lines = [
    ...failed(report.checks).map((name) => `check ${name} failed`),
    ...report.files.flatMap((file) => failed(file.checks).map((name) => `${file.name}: ${name} failed (duration ${file.durationMs} ms from ${file.startMs} ms, recorded ${report.recordedMs} ms, codecs ${file.codecs.join('+')}, ${file.sizeBytes} bytes)`)),
    ...report.problems,
  ];
  return lines.length ? lines.join('; ') : 'every check held, yet the exit status was not 0';
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
  // Measured and reported; how fast this machine is at the moment is the benchmark's business.
  t.true((report.realtimeFactor ?? 0) > 0, `realtime factor ${report.realtimeFactor}`);
  t.true((report.cpuSecondsPerRecordedSecond ?? 0) > 0);
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

test.serial('selftest in separate-tracks mode places every track on the timeline by the manifest', async (t) => {
  const { report } = await selftest(['--mode', 'separate-tracks', '--participants', '1', '--seconds', '5']);
  t.true(report.ok, JSON.stringify(report, null, 2));
  t.deepEqual(report.files.map((file) => file.kind).sort(), ['manifest', 'track', 'track']);
  // The video track waits for the sender's keyframe, so it starts later on the timeline than its audio.
  const video = report.files.find((file) => file.kind === 'track' && file.medium === 'video');
  t.true((video?.startMs ?? 0) > 0, `the video track starts at ${video?.startMs} ms`);
  assertFilesHold(t, report);
});

test.serial('selftest --url checks an appliance already running on this host, with the environment its service has', async (t) => {
  const running = await TestAppliance.start(import.meta.filename, { media: true });
  try {
    const env = { ...process.env, DATABASE_URL: running.database.url, DATA_DIR: running.dataDir };
    const { report, stderr } = await selftest(['--url', running.url, '--participants', '1', '--seconds', '6'], env);
    t.log(stderr.split('\n').filter((line) => line.startsWith('selftest:')).join('\n'));
    t.true(report.ok, JSON.stringify(report, null, 2));
    t.like(report, { appliance: running.url, mode: 'composite', participants: 1, seconds: 6 });
    t.true(report.stopToLinkMs > 0 && report.stopToLinkMs < 10_000, `stop → links ${report.stopToLinkMs} ms`);
    // The appliance is this test's process: found by its listening port, the self-test below it left out.
    t.is(report.cpuSeconds?.pid, process.pid);
    t.true((report.cpuSecondsPerRecordedSecond ?? 0) > 0);
    t.true(report.files.find((file) => file.kind === 'video')?.codecs.includes('hevc'));
    assertFilesHold(t, report);
    // Nothing stays behind on the running appliance: the synthetic participants left, the conference ended.
    t.deepEqual(running.appliance.sfu.rooms(), []);
  } finally {
    await running.stop();
  }
});

test.serial('selftest --url refuses an address that is not an appliance on this host, saying why', async (t) => {
  const error = await selftest(['--url', 'http://198.51.100.7:8080']).then(
    () => undefined,
    (failure: Error) => failure,
  );
  t.regex(error?.message ?? '', /not an address of this host/);
});
