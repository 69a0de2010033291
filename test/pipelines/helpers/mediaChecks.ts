import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RecordingMode, RecordingParams, RecordingProcess } from '../../../pipelines/index.ts';
import { TEST_VIDEO } from './SyntheticParticipant.ts';

const run = promisify(execFile);

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Mean and standard deviation of the luma (0–255) inside a region of the frame shown at `atSeconds`. */
export async function regionLuma(file: string, atSeconds: number, region: Region): Promise<{ mean: number; deviation: number }> {
  const { width, height } = TEST_VIDEO;
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-ss', String(atSeconds), '-i', file, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  const values: number[] = [];
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) values.push(stdout[y * width + x] ?? 0);
  }
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const deviation = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
  return { mean, deviation };
}

/**
 * What ffmpeg complains about while decoding the whole file (empty when it decodes cleanly).
 * Frames keep the file's own timestamps and time base: tracks carry the senders' timing and a
 * join may shift the frame phase, which a constant-rate check would misreport as duplicates.
 */
export async function decodeErrors(file: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'null', '-']);
  return stderr.trim();
}

/** Periods of at least `minSeconds` in which the picture did not change, as [start, duration] in seconds. */
export async function frozenPeriods(file: string, minSeconds: number): Promise<Array<[number, number]>> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-an', '-vf', `freezedetect=n=0.0003:d=${minSeconds}`, '-f', 'null', '-']);
  const starts = [...stderr.matchAll(/freeze_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const durations = [...stderr.matchAll(/freeze_duration: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts.map((start, index) => [start, durations[index] ?? Number.POSITIVE_INFINITY]);
}

function temporaryOutputDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `recording-${label}-`));
}

interface TestContext {
  passed: boolean;
  teardown(fn: () => void): void;
  log(...values: unknown[]): void;
}

/** Settings of a small test recording; its directory is removed if the test passes, kept (and logged) if not. */
export function testParams(t: TestContext, recordingId: string, mode: Partial<RecordingMode> & Pick<RecordingMode, 'kind'>): RecordingParams {
  const outputDir = temporaryOutputDir(recordingId);
  t.teardown(() => {
    if (t.passed) fs.rmSync(outputDir, { recursive: true, force: true });
    else t.log(`recording kept in ${outputDir}`);
  });
  return {
    recordingId,
    outputDir,
    title: `Test ${recordingId}`,
    encoder: 'x265enc',
    mode: { width: TEST_VIDEO.width, height: TEST_VIDEO.height, fps: TEST_VIDEO.fps, videoBitrateKbps: 400, container: 'mp4', audioCodec: 'aac', onlyConsenting: false, ...mode },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Logs why a recording failed and the worker's problems into the test's output, and kills a
 * worker a failed test left running, so the test process can exit.
 */
export function watchRecording(t: Pick<TestContext, 'teardown' | 'log'>, recording: RecordingProcess): void {
  recording.on('failed', ({ reason }) => t.log(`recording failed: ${reason}`));
  recording.on('log', (line) => {
    if (/problem|fail|error/i.test(line)) t.log(`worker: ${line}`);
  });
  t.teardown(() => {
    if (recording.pid !== undefined && recording.state !== 'stopped') process.kill(recording.pid, 'SIGKILL');
  });
}

/** Periods of at least `minSeconds` of silence in the audio, as [start, duration] in seconds. */
export async function silentPeriods(file: string, minSeconds: number): Promise<Array<[number, number]>> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-vn', '-af', `silencedetect=noise=-40dB:d=${minSeconds}`, '-f', 'null', '-']);
  const starts = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const durations = [...stderr.matchAll(/silence_duration: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts.map((start, index) => [start, durations[index] ?? Number.POSITIVE_INFINITY]);
}
