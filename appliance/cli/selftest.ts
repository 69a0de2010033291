/**
 * Records a synthetic conference end to end and checks what the Recordings Bot links to:
 *   npm run selftest -- [--participants N] [--seconds D] [--mode composite|audio-only|separate-tracks]
 *
 * Starts an embedded appliance in this process (temporary data directory, embedded database),
 * feeds each participant's moving test picture and sine tone into the SFU as plain RTP, records
 * D seconds with a pause of D/5 in the middle, stops, downloads every linked file over HTTP and
 * checks it with ffprobe. One JSON report goes to stdout, progress to stderr; the exit status is 0
 * only if every check holds.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify, parseArgs } from 'node:util';
import { Appliance } from '../appliance.ts';
import { loadConfig } from '../config.ts';
import { DEMO_USERS, demoSecret, demoToken } from '../auth/demo-identities.ts';
import type { DemoUser } from '../auth/demo-identities.ts';
import { Recording, RecordingFile, RecordingMode } from '../db/entities/index.ts';
import { DEFAULT_RECORDING_MODES, RECORDING_MODE_KINDS } from '../domain/index.ts';
import type { RecordingModeKind } from '../domain/index.ts';
import type { ChatLink } from '../domain/chat.ts';
import { INGEST_PAYLOAD_TYPES } from '../sfu/synthetic-ingest.ts';
import type { SyntheticIngest } from '../sfu/synthetic-ingest.ts';
import { loudness, probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import { SYNTHETIC_KEYFRAME_INTERVAL_MS, SYNTHETIC_SENDER_ELEMENTS, sendSyntheticAudio, sendSyntheticVideo } from '../../pipelines/diagnostics/syntheticSenders.ts';

const run = promisify(execFile);

/** Small enough for a two-core machine to encode while the senders run. */
const PICTURE = { width: 640, height: 360, fps: 15, videoBitrateKbps: 600 };
const SSRC_BASE = 0x5e1f0000;
/** A different picture per participant, scrolling so that every one of them moves. */
const PATTERNS = ['ball', 'smpte', 'pinwheel', 'zone-plate', 'spokes', 'checkers-8'];
const DURATION_TOLERANCE_MS = 700;
/**
 * The timer runs from the admin's command, the file from when the pipeline has media: each start
 * and resume rebuilds a pipeline, which on a loaded machine takes up to this long.
 */
const TRANSITION_ALLOWANCE_MS = 350;
/** The recording pauses once, in the middle. */
const PAUSES = 1;
/** Peak level below which a file's audio counts as silent; the senders' tones peak far above it. */
const SILENCE_DB = -40;
const LINK_TIMEOUT_MS = 60_000;

class SelftestError extends Error {}

interface Options {
  participants: number;
  seconds: number;
  mode: RecordingModeKind;
}

function options(): Options {
  const { values } = parseArgs({ options: { participants: { type: 'string', default: '2' }, seconds: { type: 'string', default: '10' }, mode: { type: 'string', default: 'composite' } } });
  const participants = Number(values.participants);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(participants) || participants < 1 || participants > 16) throw new SelftestError('--participants is a whole number from 1 to 16');
  if (!Number.isFinite(seconds) || seconds < 2 || seconds > 3600) throw new SelftestError('--seconds is a number from 2 to 3600');
  if (!RECORDING_MODE_KINDS.includes(values.mode as RecordingModeKind)) throw new SelftestError(`--mode is one of ${RECORDING_MODE_KINDS.join(', ')}`);
  return { participants, seconds, mode: values.mode as RecordingModeKind };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const progress = (line: string) => console.error(`selftest: ${line}`);

/** Refuses to start, naming what is missing, rather than failing halfway with a vague error. */
async function checkTools(): Promise<void> {
  for (const [tool, flag] of [['ffprobe', '-version'], ['ffmpeg', '-version'], ['gst-launch-1.0', '--version'], ['gst-inspect-1.0', '--version']] as const) {
    await run(tool, [flag]).catch(() => {
      throw new SelftestError(`${tool} is not installed or not on PATH`);
    });
  }
  for (const element of SYNTHETIC_SENDER_ELEMENTS) {
    await run('gst-inspect-1.0', [element]).catch(() => {
      throw new SelftestError(`the GStreamer element ${element} is missing (install the GStreamer plugin that provides it)`);
    });
  }
}

/**
 * CPU time of the appliance: this process (process.cpuUsage, all its threads) plus its child
 * processes (utime + stime from /proc/<pid>/stat): the mediasoup workers and the recording
 * pipeline process. A child that has exited and been reaped by the end is found in the cutime +
 * cstime of /proc/self/stat instead. The synthetic senders are left out: they stand for the
 * participants, not for the appliance.
 */
class CpuMeter {
  readonly #ticksPerSecond: number;
  readonly #excluded: Set<number>;
  #start: CpuReading;

  private constructor(ticksPerSecond: number, excluded: Set<number>) {
    this.#ticksPerSecond = ticksPerSecond;
    this.#excluded = excluded;
    this.#start = this.#read();
  }

  static async create(excludedPids: Iterable<number>): Promise<CpuMeter> {
    const { stdout } = await run('getconf', ['CLK_TCK']);
    return new CpuMeter(Number(stdout.trim()), new Set(excludedPids));
  }

  begin(): void {
    this.#start = this.#read();
  }

  /** Seconds since `begin()`, by part. */
  elapsed(): { applianceProcess: number; sfuWorkers: number; recordingPipelines: number } {
    const now = this.#read();
    const ticks = { sfu: 0, pipelines: now.reapedTicks - this.#start.reapedTicks };
    for (const [pid, child] of now.children) ticks[child.sfu ? 'sfu' : 'pipelines'] += child.ticks - (this.#start.children.get(pid)?.ticks ?? 0);
    return {
      applianceProcess: round((now.selfMicros - this.#start.selfMicros) / 1e6),
      sfuWorkers: round(ticks.sfu / this.#ticksPerSecond),
      recordingPipelines: round(ticks.pipelines / this.#ticksPerSecond),
    };
  }

  #read(): CpuReading {
    const usage = process.cpuUsage();
    const own = procStat('self');
    const children = new Map<string, { sfu: boolean; ticks: number }>();
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name) && !this.#excluded.has(Number(name)))) {
      const stat = procStat(pid);
      if (stat?.ppid === process.pid) children.set(pid, { sfu: stat.comm.startsWith('mediasoup'), ticks: stat.utime + stat.stime });
    }
    return { selfMicros: usage.user + usage.system, reapedTicks: own ? own.cutime + own.cstime : 0, children };
  }
}

interface CpuReading {
  selfMicros: number;
  reapedTicks: number;
  children: Map<string, { sfu: boolean; ticks: number }>;
}

function procStat(pid: string): { comm: string; ppid: number; utime: number; stime: number; cutime: number; cstime: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // Gone between listing and reading.
    return undefined;
  }
  // The command name is in parentheses and may hold spaces; the numeric fields follow it.
  const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  return { comm, ppid: fields[1]!, utime: fields[11]!, stime: fields[12]!, cutime: fields[13]!, cstime: fields[14]! };
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

interface FileReport {
  name: string;
  kind: string;
  participantName: string | null;
  medium: string | null;
  sizeBytes: number;
  durationMs: number | null;
  codecs: string[];
  maxVolumeDb: number | null;
  checks: Record<string, boolean>;
}

/** Downloads one linked file through the appliance's own download route and checks it. */
async function checkFile(appliance: Appliance, link: ChatLink, into: string, recordedMs: number, mode: RecordingModeKind): Promise<FileReport> {
  const url = new URL(link.url);
  const segments = url.pathname.split('/');
  const name = decodeURIComponent(segments.at(-1)!);
  const fileId = segments[2]!.split('.')[0]!;
  const row = await appliance.orm.em.fork().findOne(RecordingFile, fileId);
  if (!row) throw new SelftestError(`the link ${link.url} names no recorded file`);
  // The link carries the public address; the file is fetched from this embedded appliance.
  const response = await fetch(`${appliance.url}${url.pathname}${url.search}`);
  const body = Buffer.from(await response.arrayBuffer());
  const file = path.join(into, name);
  await fs.writeFile(file, body);
  const checks: Record<string, boolean> = { downloaded: response.ok && body.length === row.sizeBytes };
  const report: FileReport = { name, kind: row.kind, participantName: row.participantName, medium: row.medium, sizeBytes: body.length, durationMs: null, codecs: [], maxVolumeDb: null, checks };
  if (row.kind === 'manifest') {
    checks.manifestParses = await fs.readFile(file, 'utf8').then((text) => (JSON.parse(text), true), () => false);
    return report;
  }
  const probed = await probeStreams(file);
  report.durationMs = Math.round(probed.durationSeconds * 1000);
  report.codecs = probed.streams.map((stream) => stream.codec_name);
  const videoTrack = row.kind === 'track' && row.medium === 'video';
  // A plain sender cannot answer the recorder's key frame request: a video track, stored as
  // received, starts (and restarts after the pause) at the sender's next periodic key frame.
  const lateStartMs = (videoTrack ? SYNTHETIC_KEYFRAME_INTERVAL_MS : TRANSITION_ALLOWANCE_MS) * (1 + PAUSES);
  checks.duration = report.durationMs >= recordedMs - DURATION_TOLERANCE_MS - lateStartMs && report.durationMs <= recordedMs + DURATION_TOLERANCE_MS;
  // Separate tracks keep the codec they were sent in (VP8); the composite picture is encoded to HEVC.
  if (videoTrack) checks.videoPresent = probed.streams.some((stream) => stream.codec_type === 'video');
  else if (row.kind === 'video' && mode !== 'audio-only') checks.hevcVideo = probed.streams.some((stream) => stream.codec_type === 'video' && stream.codec_name === 'hevc');
  // A composite video file carries the mixed audio too; a video track does not.
  if (row.kind !== 'track' || row.medium === 'audio') {
    checks.audioPresent = probed.streams.some((stream) => stream.codec_type === 'audio');
    report.maxVolumeDb = checks.audioPresent ? (await loudness(file)).maxDb : null;
    checks.audible = report.maxVolumeDb !== null && report.maxVolumeDb > SILENCE_DB;
  }
  return report;
}

/** The files each mode must produce, whatever else it adds. */
function expectedFiles(mode: RecordingModeKind, participants: number, files: FileReport[]): boolean {
  const count = (kind: string) => files.filter((file) => file.kind === kind).length;
  if (mode === 'composite') return count('video') >= 1;
  if (mode === 'audio-only') return count('audio') >= 1 && count('video') === 0;
  return count('track') >= 2 * participants && count('manifest') === 1;
}

async function selftest(opts: Options): Promise<{ ok: boolean; report: Record<string, unknown> }> {
  await checkTools();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-selftest-'));
  // The appliance's own settings from the environment (RTC ports, encoder) apply; the database,
  // the data and the HTTP port are this run's own.
  const config = loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO: 'true', RECORDINGS_MIN_FREE_MB: '0', RECORDINGS_STOP_FREE_MB: '0' });
  progress(`starting an embedded appliance in ${dataDir}`);
  const appliance = await Appliance.start(config);
  const senders: ChildProcess[] = [];
  const ingests: SyntheticIngest[] = [];
  const senderFailures: string[] = [];
  try {
    const em = appliance.orm.em.fork();
    const mode = await em.findOneOrFail(RecordingMode, { isDefault: true });
    em.assign(mode, { ...DEFAULT_RECORDING_MODES.find((m) => m.settings.kind === opts.mode)!.settings, ...PICTURE });
    await em.flush();

    const secret = await demoSecret(config.dataDir);
    const corporate = DEMO_USERS.filter((user) => user.server === 'corporate');
    const users: DemoUser[] = Array.from({ length: opts.participants }, (_, i) => corporate[i] ?? { sub: `selftest-${i + 1}`, name: `Участник ${i + 1}`, server: 'corporate' });
    const tokens = await Promise.all(users.map((user) => demoToken(secret, user)));
    const api = async (token: string, route: string, body?: object) => {
      const method = body ? 'POST' : 'GET';
      const response = await fetch(`${appliance.url}/api${route}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
      if (!response.ok) throw new SelftestError(`${method} /api${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    // The SFU and the recorder know participants by the appliance's user id, not the token's subject.
    const userIds = await Promise.all(tokens.map(async (token) => (await api(token, '/me')).userId as string));
    const host = tokens[0]!;
    const conferenceId = (await api(host, '/conferences', { title: 'Самопроверка записи' })).id as string;
    for (const token of tokens.slice(1)) await api(token, `/conferences/${conferenceId}/join`, {});

    let links: ChatLink[] | undefined;
    let failure: string | undefined;
    const unsubscribe = appliance.bus.subscribe((event) => {
      if (event.conferenceId !== conferenceId) return;
      if (event.type === 'chat.message' && event.message.bot && event.message.links.length > 0) links = event.message.links;
      if (event.type === 'recording.failed') failure = event.problem;
    });

    progress(`${opts.participants} synthetic participant(s) sending into conference ${conferenceId}`);
    for (const [i, userId] of userIds.entries()) {
      const ssrc = { video: SSRC_BASE + 2 * i, audio: SSRC_BASE + 2 * i + 1 };
      const video = await appliance.sfu.ingest(conferenceId, userId, { kind: 'video', source: 'camera', ssrc: ssrc.video });
      const audio = await appliance.sfu.ingest(conferenceId, userId, { kind: 'audio', source: 'microphone', ssrc: ssrc.audio });
      ingests.push(video, audio);
      const pattern = PATTERNS[i % PATTERNS.length]!;
      senders.push(
        sendSyntheticVideo({ port: video.port, payloadType: INGEST_PAYLOAD_TYPES.video, ssrc: ssrc.video }, { codec: 'VP8', pattern, horizontalSpeed: 2, width: PICTURE.width, height: PICTURE.height, fps: PICTURE.fps }),
        sendSyntheticAudio({ port: audio.port, payloadType: INGEST_PAYLOAD_TYPES.audio, ssrc: ssrc.audio }, 330 + 110 * i),
      );
    }
    for (const sender of senders) sender.once('exit', (code, signal) => senderFailures.push(`a synthetic sender (pid ${sender.pid}) stopped early: ${signal ?? `exit code ${code}`}`));
    // A keyframe a second: let every sender reach the SFU before the recording taps it.
    await sleep(1000);

    const cpu = await CpuMeter.create(senders.flatMap((sender) => (sender.pid === undefined ? [] : [sender.pid])));
    const factors: number[] = [];
    const gauge = appliance.metrics.registry.getSingleMetric('recording_realtime_factor');
    const sampler = setInterval(() => {
      void gauge?.get().then((metric) => {
        const value = metric.values[0]?.value ?? 0;
        if (value > 0) factors.push(value);
      });
    }, 500);
    const half = (opts.seconds * 1000) / 2;
    progress(`recording ${opts.seconds} s in ${opts.mode} mode, paused for ${opts.seconds / 5} s in the middle`);
    cpu.begin();
    await api(host, `/conferences/${conferenceId}/recording/start`, {});
    await sleep(half);
    await api(host, `/conferences/${conferenceId}/recording/pause`, {});
    await sleep((opts.seconds * 1000) / 5);
    await api(host, `/conferences/${conferenceId}/recording/resume`, {});
    await sleep(half);
    await api(host, `/conferences/${conferenceId}/recording/stop`, {});
    const stoppedAt = Date.now();
    clearInterval(sampler);
    while (!links && !failure && Date.now() - stoppedAt < LINK_TIMEOUT_MS) await sleep(20);
    const stopToLinkMs = Date.now() - stoppedAt;
    const cpuSeconds = cpu.elapsed();
    unsubscribe();
    if (failure) throw new SelftestError(`the recording failed: ${failure}`);
    if (!links) throw new SelftestError(`the Recordings Bot posted no links within ${LINK_TIMEOUT_MS / 1000} s of the stop`);
    progress(`the bot linked ${links.length} file(s) ${stopToLinkMs} ms after the stop`);

    const recording = await appliance.orm.em.fork().findOneOrFail(Recording, { conferenceId });
    const downloads = await fs.mkdtemp(path.join(dataDir, 'downloads-'));
    const files: FileReport[] = [];
    for (const link of links) files.push(await checkFile(appliance, link, downloads, recording.recordedMs, opts.mode));
    const recordedSeconds = recording.recordedMs / 1000;
    const totalCpu = cpuSeconds.applianceProcess + cpuSeconds.sfuWorkers + cpuSeconds.recordingPipelines;
    const health = await appliance.health.report();
    const checks = { expectedFiles: expectedFiles(opts.mode, opts.participants, files), sendersKeptSending: senderFailures.length === 0 };
    const ok = Object.values(checks).every(Boolean) && files.every((file) => Object.values(file.checks).every(Boolean));
    return {
      ok,
      report: {
        ok,
        mode: opts.mode,
        participants: opts.participants,
        seconds: opts.seconds,
        recordedMs: recording.recordedMs,
        stopToLinkMs,
        encoder: health.components.recorder?.details?.encoder ?? null,
        realtimeFactor: factors.length ? round(factors.reduce((sum, f) => sum + f, 0) / factors.length, 2) : null,
        realtimeFactorMin: factors.length ? round(Math.min(...factors), 2) : null,
        cpuSecondsPerRecordedSecond: round(totalCpu / recordedSeconds),
        cpuSeconds: {
          ...cpuSeconds,
          window: 'recording start to the bot\'s links',
          method: 'process.cpuUsage() of the appliance process, plus utime+stime of its child processes from /proc/<pid>/stat (or cutime+cstime of /proc/self/stat once reaped); synthetic senders excluded',
        },
        checks,
        problems: senderFailures,
        files,
      },
    };
  } finally {
    for (const sender of senders) {
      sender.removeAllListeners('exit');
      sender.kill('SIGKILL');
    }
    for (const ingest of ingests) ingest.close();
    await appliance.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

// The appliance logs with console.log; stdout carries nothing but the report.
console.log = console.error;
let exitCode = 1;
try {
  const { ok, report } = await selftest(options());
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  exitCode = ok ? 0 : 1;
  progress(ok ? 'every check holds' : 'some checks failed (see the report)');
} catch (error) {
  console.error(`selftest: ${error instanceof SelftestError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
// Pools and sockets of the stopped appliance must not keep a deployment script waiting.
process.exit(exitCode);
