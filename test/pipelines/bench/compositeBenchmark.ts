/**
 * What a 4-participant composite recording (1280×720) costs with our pipeline, against the usual
 * mediasoup recording recipe: ffmpeg reading an SDP of the same RTP, composing with xstack and
 * amix, encoding with libx265 ultrafast. Then how many such recordings this machine sustains at
 * once in real time, at 30 and at 15 fps. Not part of the test run:
 *   node --import=tsx test/pipelines/bench/compositeBenchmark.ts [seconds] [--skip-concurrency]
 *
 * Senders replay pre-encoded VP8 640×360@30 and Opus files in real time (the same files for every
 * run), so they cost almost nothing and each recorder's own CPU time (from /proc) is what is
 * measured. The SFU's forwarding is the same for both recorders and is left out. Test patterns
 * are easy to encode; `BENCH_PATTERNS=snow,snow,snow,snow` gives the worst case (pure noise).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeEncoders, RecordingProcess, type RecordingProgress, type RtpPorts } from '../../../pipelines/index.ts';
import { UdpPortReservation } from '../../../pipelines/inputs/UdpPortReservation.ts';

const PATTERNS = (process.env.BENCH_PATTERNS ?? 'ball,smpte,pinwheel,gamut').split(',');
const PARTICIPANTS = PATTERNS.length;
const args = process.argv.slice(2);
const seconds = Number(args.find((arg) => !arg.startsWith('--')) ?? 60);
const skipConcurrency = args.includes('--skip-concurrency');
const WARM_UP_MS = 5000;
const CONCURRENCY_SECONDS = 20;
/** A recording keeps up when it encodes at least this share of the frames real time asks for. */
const KEEPS_UP = 0.97;
const VIDEO = { width: 1280, height: 720, bitrateKbps: 2500 };
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'composite-benchmark-'));
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const PAYLOAD = { video: 96, audio: 111 } as const;

function gst(description: string): void {
  execFileSync('gst-launch-1.0', ['-q', ...description.split(' ')]);
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Peak resident memory of a process, polled until it exits (the kernel forgets it then). */
class PeakMemory {
  #peakKb = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number) {
    this.#timer = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) this.#peakKb = Math.max(this.#peakKb, Number(match[1]));
      } catch {
        clearInterval(this.#timer);
      }
    }, 100);
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.#peakKb / 1024;
  }
}

function prepareMedia(totalSeconds: number): void {
  const frames = 30 * (totalSeconds + 15);
  PATTERNS.forEach((pattern, index) => {
    gst(`videotestsrc pattern=${pattern} num-buffers=${frames} ! video/x-raw,width=640,height=360,framerate=30/1 ! vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 target-bitrate=800000 ! webmmux ! filesink location=${workDir}/video-${index}.webm`);
    gst(`audiotestsrc wave=sine freq=${330 + 110 * index} num-buffers=${Math.ceil((48_000 / 1024) * (totalSeconds + 15))} ! audio/x-raw,rate=48000,channels=2 ! opusenc ! webmmux ! filesink location=${workDir}/audio-${index}.webm`);
  });
}

/** Where one participant's two streams go, for each recorder listening to them. */
type Destinations = Array<{ video: number; audio: number }>;

/** Replays every participant in real time, each stream fanned out to every destination. */
function startSenders(destinations: (participant: number) => Destinations): ChildProcess[] {
  const senders: ChildProcess[] = [];
  for (let i = 0; i < PARTICIPANTS; i++) {
    for (const kind of ['video', 'audio'] as const) {
      const clients = destinations(i).map((d) => `127.0.0.1:${d[kind]}`).join(',');
      const payloader = kind === 'video' ? `rtpvp8pay pt=${PAYLOAD.video}` : `rtpopuspay pt=${PAYLOAD.audio}`;
      const description = `filesrc location=${workDir}/${kind}-${i}.webm ! matroskademux ! ${payloader} ssrc=${ssrc(i, kind)} ! multiudpsink clients=${clients} sync=true`;
      senders.push(spawn('gst-launch-1.0', ['-q', ...description.split(' ')], { stdio: 'ignore' }));
    }
  }
  return senders;
}

const ssrc = (participant: number, kind: 'video' | 'audio') => 1000 + participant * 2 + (kind === 'video' ? 0 : 1);

interface Figures {
  cpuPerSecond: number;
  realtimeFactor: number;
  peakMemoryMb: number;
  stopToFileMs: number;
  sizeMb: number;
}

interface Recorder {
  pid: number;
  /** Video frames encoded so far. */
  frames(): number;
  /** Ends the recording; resolves with the size of what it wrote once the files are complete. */
  stop(): Promise<number>;
}

async function startOurs(fps: number, tag: string): Promise<{ recorder: Recorder; destinations: Destinations }> {
  const recording = new RecordingProcess();
  let latest: RecordingProgress | undefined;
  recording.on('progress', (progress) => (latest = progress));
  const { chosen } = await probeEncoders('auto');
  await recording.start({
    recordingId: `benchmark-${tag}`,
    outputDir: path.join(workDir, `ours-${tag}`),
    title: 'Benchmark',
    encoder: chosen,
    mode: { kind: 'composite', ...VIDEO, fps, videoBitrateKbps: VIDEO.bitrateKbps, container: 'mp4', audioCodec: 'aac', onlyConsenting: false },
  });
  const destinations: Destinations = [];
  for (let i = 0; i < PARTICIPANTS; i++) {
    const ports: Record<'video' | 'audio', RtpPorts> = {} as Record<'video' | 'audio', RtpPorts>;
    for (const kind of ['video', 'audio'] as const) {
      ports[kind] = await recording.addInput({
        inputId: `p${i}-${kind}`,
        participantId: `p${i}`,
        participantName: `Participant ${i + 1}`,
        kind,
        codec: kind === 'video' ? 'VP8' : 'opus',
        payloadType: PAYLOAD[kind],
        clockRate: kind === 'video' ? 90_000 : 48_000,
        ssrc: ssrc(i, kind),
      });
    }
    destinations.push({ video: ports.video.rtpPort, audio: ports.audio.rtpPort });
  }
  const recorder: Recorder = {
    pid: recording.pid as number,
    frames: () => latest?.framesEncoded ?? 0,
    stop: async () => {
      const result = await recording.stop();
      if (result.problems.length > 0) console.log(`  (ours: ${result.problems.join('; ')})`);
      return result.files.reduce((sum, file) => sum + file.sizeBytes, 0);
    },
  };
  return { recorder, destinations };
}

/** The SDP a mediasoup app writes for ffmpeg: one m-line per consumer, RTCP on the next port. */
async function startFfmpeg(fps: number): Promise<{ recorder: Recorder; destinations: Destinations }> {
  const reservations: UdpPortReservation[] = [];
  const port = async () => {
    // ffmpeg binds RTP on an even port and RTCP on the next one; the kernel's free pair is not
    // guaranteed to be that, so probe until an even port with a free successor turns up.
    for (;;) {
      const reservation = await UdpPortReservation.reserveFree();
      const { rtpPort } = reservation.ports;
      await reservation.release();
      if (rtpPort % 2 !== 0) continue;
      const pair = await UdpPortReservation.hold({ rtpPort, rtcpPort: rtpPort + 1 }).catch(() => undefined);
      if (pair) {
        reservations.push(pair);
        return rtpPort;
      }
    }
  };
  const destinations: Destinations = [];
  const sdp = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=benchmark', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (let i = 0; i < PARTICIPANTS; i++) {
    const d = { video: await port(), audio: await port() };
    destinations.push(d);
    sdp.push(`m=video ${d.video} RTP/AVP ${PAYLOAD.video}`, `a=rtpmap:${PAYLOAD.video} VP8/90000`, 'a=recvonly');
    sdp.push(`m=audio ${d.audio} RTP/AVP ${PAYLOAD.audio}`, `a=rtpmap:${PAYLOAD.audio} opus/48000/2`, 'a=recvonly');
  }
  const sdpFile = path.join(workDir, 'ffmpeg.sdp');
  fs.writeFileSync(sdpFile, `${sdp.join('\n')}\n`);
  const tile = { width: VIDEO.width / 2, height: VIDEO.height / 2 };
  const scaled = destinations.map((_, i) => `[0:v:${i}]scale=${tile.width}:${tile.height},setsar=1[v${i}]`).join(';');
  const grid = `${destinations.map((_, i) => `[v${i}]`).join('')}xstack=inputs=${PARTICIPANTS}:layout=0_0|w0_0|0_h0|w0_h0[v]`;
  const mix = `${destinations.map((_, i) => `[0:a:${i}]`).join('')}amix=inputs=${PARTICIPANTS}[a]`;
  const output = path.join(workDir, `ffmpeg-${fps}.mp4`);
  await Promise.all(reservations.map((r) => r.release()));
  const ffmpeg = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1',
    '-protocol_whitelist', 'file,udp,rtp', '-fflags', '+genpts', '-i', sdpFile,
    '-filter_complex', `${scaled};${grid};${mix}`,
    '-map', '[v]', '-map', '[a]', '-r', String(fps),
    '-c:v', 'libx265', '-preset', 'ultrafast', '-b:v', `${VIDEO.bitrateKbps}k`, '-x265-params', 'log-level=error',
    '-c:a', 'aac', '-b:a', '128k', '-y', output,
  ], { stdio: ['pipe', 'pipe', 'inherit'] });
  let frames = 0;
  ffmpeg.stdout.on('data', (chunk: Buffer) => {
    for (const match of chunk.toString().matchAll(/^frame=(\d+)$/gm)) frames = Number(match[1]);
  });
  const recorder: Recorder = {
    pid: ffmpeg.pid as number,
    frames: () => frames,
    stop: async () => {
      const exited = once(ffmpeg, 'exit');
      // ffmpeg's own clean stop: finish the file (write the MP4 index) and exit.
      ffmpeg.stdin.end('q');
      await exited;
      return fs.statSync(output).size;
    },
  };
  return { recorder, destinations };
}

/** Runs the recorders side by side on the same senders; figures per recorder. */
async function measure(recorders: Recorder[], destinations: Destinations[], fps: number, measuredSeconds: number): Promise<Figures[]> {
  const memory = recorders.map((r) => new PeakMemory(r.pid));
  const senders = startSenders((participant) => destinations.map((d) => d[participant]!));
  try {
    await sleep(WARM_UP_MS);
    const before = recorders.map((r) => ({ cpu: cpuSeconds(r.pid), frames: r.frames() }));
    const startedAt = performance.now();
    await sleep(measuredSeconds * 1000);
    const wall = (performance.now() - startedAt) / 1000;
    const after = recorders.map((r) => ({ cpu: cpuSeconds(r.pid), frames: r.frames() }));
    return await Promise.all(
      recorders.map(async (recorder, i) => {
        const stopStarted = performance.now();
        const sizeBytes = await recorder.stop();
        return {
          cpuPerSecond: (after[i]!.cpu - before[i]!.cpu) / wall,
          realtimeFactor: (after[i]!.frames - before[i]!.frames) / (fps * wall),
          peakMemoryMb: memory[i]!.stop(),
          stopToFileMs: performance.now() - stopStarted,
          sizeMb: sizeBytes / 1e6,
        };
      }),
    );
  } finally {
    for (const sender of senders) sender.kill('SIGKILL');
  }
}

async function compare(): Promise<void> {
  const fps = 30;
  const ours = await startOurs(fps, 'compare');
  const [oursFigures] = await measure([ours.recorder], [ours.destinations], fps, seconds);
  const ffmpeg = await startFfmpeg(fps);
  const [ffmpegFigures] = await measure([ffmpeg.recorder], [ffmpeg.destinations], fps, seconds);
  const rows: Array<[string, (f: Figures) => number, number]> = [
    ['CPU seconds per recorded second', (f) => f.cpuPerSecond, 2],
    ['realtime factor (frames encoded / frames due)', (f) => f.realtimeFactor, 2],
    ['peak memory, MB', (f) => f.peakMemoryMb, 0],
    ['stop → complete file, ms', (f) => f.stopToFileMs, 0],
    ['output size, MB', (f) => f.sizeMb, 1],
  ];
  console.log(`\n4 participants, composite ${VIDEO.width}x${VIDEO.height} at ${fps} fps, ${seconds} s measured after a ${WARM_UP_MS / 1000} s warm-up\n`);
  console.log('| | ours (GStreamer) | ffmpeg SDP + libx265 ultrafast | ours / ffmpeg |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, value, digits] of rows) {
    const a = value(oursFigures!);
    const b = value(ffmpegFigures!);
    console.log(`| ${label} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(a / b).toFixed(2)} |`);
  }
}

/** Adds recordings until one of them falls behind real time; the last count that kept up. */
async function sustained(fps: number): Promise<number> {
  let best = 0;
  for (let count = 1; ; count++) {
    const started = await Promise.all(Array.from({ length: count }, (_, i) => startOurs(fps, `${fps}-${count}-${i}`)));
    const figures = await measure(started.map((s) => s.recorder), started.map((s) => s.destinations), fps, CONCURRENCY_SECONDS);
    const worst = Math.min(...figures.map((f) => f.realtimeFactor));
    const cpu = figures.reduce((sum, f) => sum + f.cpuPerSecond, 0);
    console.log(`  ${count} at ${fps} fps: worst realtime factor ${worst.toFixed(2)}, ${cpu.toFixed(2)} CPU-s per second in all`);
    if (worst < KEEPS_UP) return best;
    best = count;
  }
}

const { chosen } = await probeEncoders('auto');
console.log(`${os.cpus().length} CPUs (${os.cpus()[0]?.model}), our encoder ${chosen}, ${PARTICIPANTS} participants (${PATTERNS.join(', ')})`);
prepareMedia(Math.max(seconds, CONCURRENCY_SECONDS));
try {
  await compare();
  if (!skipConcurrency) {
    console.log(`\nConcurrent composite ${VIDEO.width}x${VIDEO.height} recordings (${CONCURRENCY_SECONDS} s each step; keeping up = realtime factor ≥ ${KEEPS_UP}):`);
    const at30 = await sustained(30);
    const at15 = await sustained(15);
    console.log(`\n| frame rate | recordings sustained at once |\n| --- | --- |\n| 30 fps | ${at30} |\n| 15 fps | ${at15} |`);
  }
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
