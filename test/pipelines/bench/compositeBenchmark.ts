/**
 * Cost of a 4-participant composite recording at 1280x720, 30 and 15 fps, with the encoder
 * `probeEncoders('auto')` picks (x265enc ultrafast here). Not part of the test run:
 * `node --import=tsx test/pipelines/bench/compositeBenchmark.ts [seconds]`.
 *
 * Senders replay pre-encoded VP8 640x360@30 and Opus files, so they cost almost nothing and the
 * worker's own CPU time (from /proc) is what is measured. Test patterns are easy to encode;
 * `BENCH_PATTERNS=snow,snow,snow,snow` gives the worst case (pure noise) for comparison.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { probeEncoders, RecordingProcess, type RecordingProgress } from '../../../pipelines/index.ts';

const PATTERNS = (process.env.BENCH_PATTERNS ?? 'ball,smpte,pinwheel,gamut').split(',');
const PARTICIPANTS = PATTERNS.length;
const seconds = Number(process.argv[2] ?? 20);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'composite-benchmark-'));
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function gst(args: string): void {
  execFileSync('gst-launch-1.0', ['-q', ...args.split(' ')]);
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

function prepareMedia(): void {
  const frames = 30 * (seconds + 10);
  PATTERNS.forEach((pattern, index) => {
    gst(`videotestsrc pattern=${pattern} num-buffers=${frames} ! video/x-raw,width=640,height=360,framerate=30/1 ! vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 target-bitrate=800000 ! webmmux ! filesink location=${workDir}/video-${index}.webm`);
  });
  gst(`audiotestsrc wave=sine num-buffers=${Math.ceil((48_000 / 1024) * (seconds + 10))} ! audio/x-raw,rate=48000,channels=2 ! opusenc ! webmmux ! filesink location=${workDir}/audio.webm`);
}

async function run(fps: number, encoder: string): Promise<string> {
  const recording = new RecordingProcess();
  const progress: RecordingProgress[] = [];
  recording.on('progress', (p) => progress.push(p));
  const senders: ChildProcess[] = [];
  await recording.start({
    recordingId: `benchmark-${fps}`,
    outputDir: path.join(workDir, `out-${fps}`),
    title: 'Benchmark',
    encoder,
    mode: { kind: 'composite', width: 1280, height: 720, fps, videoBitrateKbps: 2500, container: 'mp4', audioCodec: 'aac', onlyConsenting: false },
  });
  for (let i = 0; i < PARTICIPANTS; i++) {
    for (const kind of ['video', 'audio'] as const) {
      const ssrc = 100 + i * 2 + (kind === 'video' ? 0 : 1);
      const ports = await recording.addInput({
        inputId: `p${i}-${kind}`,
        participantId: `p${i}`,
        participantName: `Participant ${i + 1}`,
        kind,
        codec: kind === 'video' ? 'VP8' : 'opus',
        payloadType: kind === 'video' ? 96 : 111,
        clockRate: kind === 'video' ? 90_000 : 48_000,
        ssrc,
      });
      const file = kind === 'video' ? `${workDir}/video-${i}.webm` : `${workDir}/audio.webm`;
      const payloader = kind === 'video' ? 'rtpvp8pay pt=96' : 'rtpopuspay pt=111';
      const args = `filesrc location=${file} ! matroskademux ! ${payloader} ssrc=${ssrc} ! udpsink host=127.0.0.1 port=${ports.rtpPort} sync=true`;
      senders.push(spawn('gst-launch-1.0', ['-q', ...args.split(' ')], { stdio: 'ignore' }));
    }
  }
  const pid = recording.pid as number;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const cpuBefore = cpuSeconds(pid);
  const wallBefore = performance.now();
  const progressBefore = progress.length;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = cpuSeconds(pid) - cpuBefore;
  const wall = (performance.now() - wallBefore) / 1000;
  const measured = progress.slice(progressBefore);
  const stopStarted = performance.now();
  const result = await recording.stop();
  const stopMs = performance.now() - stopStarted;
  for (const sender of senders) sender.kill('SIGKILL');
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  const video = result.files.find((f) => f.kind === 'video');
  return [
    `1280x720@${fps}:`,
    `${(cpu / wall).toFixed(2)} CPU-s per recorded s`,
    `encoded ${mean(measured.map((p) => p.fps)).toFixed(1)} fps (min ${Math.min(...measured.map((p) => p.fps)).toFixed(1)})`,
    `realtime factor ${mean(measured.map((p) => p.realtimeFactor)).toFixed(2)} (min ${Math.min(...measured.map((p) => p.realtimeFactor)).toFixed(2)})`,
    `stop→files ${Math.round(stopMs)} ms`,
    `file ${video ? `${(video.durationMs / 1000).toFixed(1)} s, ${(video.sizeBytes / 1e6).toFixed(1)} MB` : 'missing'}`,
    result.problems.length > 0 ? `problems: ${result.problems.join('; ')}` : '',
  ].join('  ');
}

prepareMedia();
const { chosen } = await probeEncoders('auto');
console.log(`${os.cpus().length} CPUs, encoder ${chosen}, ${PARTICIPANTS} participants (${PATTERNS.join(', ')}), ${seconds} s measured per run`);
for (const fps of [30, 15]) console.log(await run(fps, chosen));
fs.rmSync(workDir, { recursive: true, force: true });
