import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FileLink } from '../access/download-gate.ts';
import { readDownloadLink } from '../access/download-links.ts';
import { registerSelftestServer, selftestSecret, selftestToken } from '../auth/selftest-identity.ts';
import type { RecordingView } from '../conferences/views.ts';
import type { ChatLink } from '../domain/index.ts';
import type { ManifestTrack } from '../../pipelines/index.ts';
import { SYNTHETIC_KEYFRAME_INTERVAL_MS, sendSyntheticAudio, sendSyntheticVideo } from '../../pipelines/diagnostics/syntheticSenders.ts';
import { ApplianceClient } from './appliance-client.ts';
import type { ConferenceEvents } from './conference-events.ts';
import { CPU_METHOD, ProcessTreeCpu } from './process-tree-cpu.ts';
import { checkFile, expectedFiles } from './selftest-file-check.ts';
import type { FileReport } from './selftest-file-check.ts';
import { SelftestError } from './selftest-error.ts';
import { recordingModeFor } from './selftest-recording-mode.ts';
import type { SelftestTarget } from './selftest-target.ts';

export interface SelftestOptions {
  participants: number;
  seconds: number;
  /** A recording mode kind, or the name of one of the appliance's modes. */
  mode: string;
}

/** What the senders send: small enough for a two-core machine to encode while they run. */
export const SENDER_PICTURE = { width: 640, height: 360, fps: 15 };
const SSRC_BASE = 0x5e1f0000;
/** A different picture per participant, scrolling so that every one of them moves. */
const PATTERNS = ['ball', 'smpte', 'pinwheel', 'zone-plate', 'spokes', 'checkers-8'];
const LINK_TIMEOUT_MS = 60_000;
const REALTIME_SAMPLE_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

interface OpenIngest {
  client: ApplianceClient;
  id: string;
}

/**
 * Records a synthetic conference on `target` and checks what the Recordings Bot links to, through
 * the appliance's HTTP API and WebSocket only: the participants are users of the self-test's own
 * messenger server, each feeding a moving test picture and a tone over plain RTP.
 */
export async function runSelftest(target: SelftestTarget, opts: SelftestOptions, progress: (line: string) => void): Promise<{ ok: boolean; report: Record<string, unknown> }> {
  const secret = await selftestSecret(target.dataDir);
  const mode = await recordingModeFor(target.orm, opts.mode);
  await registerSelftestServer(target.orm, secret, mode.id);
  // The tokens never leave this process; they need only last the run.
  const lifetimeSeconds = Math.ceil(opts.seconds * 1.2 + LINK_TIMEOUT_MS / 1000) + 600;
  const clients = await Promise.all(
    Array.from({ length: opts.participants }, async (_, i) => new ApplianceClient(target.url, await selftestToken(secret, { sub: `selftest-${i + 1}`, name: `Участник самопроверки ${i + 1}` }, lifetimeSeconds))),
  );
  const host = clients[0]!;
  const conferenceId = (await host.post<{ id: string }>('/conferences', { title: 'Самопроверка записи' })).id;
  const present: ApplianceClient[] = [host];
  const senders: ChildProcess[] = [];
  const senderFailures: string[] = [];
  const ingests: OpenIngest[] = [];
  const downloads = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-selftest-downloads-'));
  let events: ConferenceEvents | undefined;
  let sampling = false;
  try {
    for (const client of clients.slice(1)) {
      await client.post(`/conferences/${conferenceId}/join`);
      present.push(client);
    }
    events = await host.events();

    progress(`${opts.participants} synthetic participant(s) sending into conference ${conferenceId}`);
    for (const [i, client] of clients.entries()) {
      const ssrc = { video: SSRC_BASE + 2 * i, audio: SSRC_BASE + 2 * i + 1 };
      const ingest = async (kind: 'video' | 'audio', source: 'camera' | 'microphone') => {
        const opened = await client.post<{ id: string; port: number; payloadType: number }>(`/conferences/${conferenceId}/ingests`, { kind, source, ssrc: ssrc[kind], lifetimeSeconds });
        ingests.push({ client, id: opened.id });
        return { port: opened.port, payloadType: opened.payloadType, ssrc: ssrc[kind] };
      };
      const video = await ingest('video', 'camera');
      const audio = await ingest('audio', 'microphone');
      senders.push(
        sendSyntheticVideo(video, { codec: 'VP8', pattern: PATTERNS[i % PATTERNS.length]!, horizontalSpeed: 2, ...SENDER_PICTURE }),
        sendSyntheticAudio(audio, 330 + 110 * i),
      );
    }
    for (const sender of senders) sender.once('exit', (code, signal) => senderFailures.push(`a synthetic sender (pid ${sender.pid}) stopped early: ${signal ?? `exit code ${code}`}`));
    // A key frame a second: let every sender reach the SFU before the recording taps it.
    await sleep(SYNTHETIC_KEYFRAME_INTERVAL_MS);

    const measured = target.applianceProcess();
    const cpu = measured.pid === null ? undefined : await ProcessTreeCpu.create(measured.pid, senders.flatMap((sender) => (sender.pid === undefined ? [] : [sender.pid])));
    const factors: number[] = [];
    sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // A missed sample only leaves fewer to average.
        const factor = await host.gauge('recording_realtime_factor').catch(() => undefined);
        if (factor !== undefined && factor > 0) factors.push(factor);
        await sleep(REALTIME_SAMPLE_MS);
      }
    })();

    const half = (opts.seconds * 1000) / 2;
    progress(`recording ${opts.seconds} s in ${mode.kind} mode ("${mode.name}", ${mode.width}×${mode.height} at ${mode.fps} fps), paused for ${opts.seconds / 5} s in the middle`);
    cpu?.begin();
    const command = (name: string) => host.post(`/conferences/${conferenceId}/recording/${name}`);
    await command('start');
    await sleep(half);
    await command('pause');
    await sleep((opts.seconds * 1000) / 5);
    await command('resume');
    await sleep(half);
    await command('stop');
    const stoppedAt = Date.now();
    sampling = false;
    const outcome = await events.first((event) => {
      if (event.conferenceId !== conferenceId) return undefined;
      if (event.type === 'chat.message' && event.message.bot && event.message.links.length > 0) return { links: event.message.links };
      if (event.type === 'recording.failed') return { failure: event.problem };
      return undefined;
    }, LINK_TIMEOUT_MS);
    const stopToLinkMs = Date.now() - stoppedAt;
    const cpuSeconds = cpu?.elapsed();
    await sampler;
    if (!outcome) throw new SelftestError(`the Recordings Bot posted no links within ${LINK_TIMEOUT_MS / 1000} s of the stop`);
    if ('failure' in outcome) throw new SelftestError(`the recording failed: ${outcome.failure}`);
    const links: ChatLink[] = outcome.links;
    progress(`the bot linked ${links.length} file(s) ${stopToLinkMs} ms after the stop`);

    const recording = (await host.get<RecordingView[]>(`/conferences/${conferenceId}/recordings`)).at(-1)!;
    const known = (await host.post<{ files: FileLink[] }>(`/recordings/${recording.id}/links`)).files;
    const files: FileReport[] = [];
    // The manifest first: it says where on the timeline each track starts.
    const byKind = (link: ChatLink) => (known.find((file) => file.id === readDownloadLink(link.url).fileId)?.kind === 'manifest' ? 0 : 1);
    let tracks: ManifestTrack[] = [];
    for (const link of [...links].sort((a, b) => byKind(a) - byKind(b))) {
      const { fileId, name } = readDownloadLink(link.url);
      const facts = known.find((file) => file.id === fileId);
      if (!facts) throw new SelftestError(`the bot linked ${link.url}, which is not a file of recording ${recording.id}`);
      const startMs = tracks.find((track) => name.endsWith(path.basename(track.file)))?.startMs ?? 0;
      const report = await checkFile(host, link, facts, downloads, { recordedMs: recording.recordedMs, startMs }, mode.kind);
      if (facts.kind === 'manifest' && report.checks.manifestParses) tracks = (JSON.parse(await fs.readFile(path.join(downloads, report.name), 'utf8')) as { tracks: ManifestTrack[] }).tracks;
      files.push(report);
    }
    const recordedSeconds = recording.recordedMs / 1000;
    const health = await host.health();
    const checks = { expectedFiles: expectedFiles(mode.kind, opts.participants, files), everyFileLinked: links.length === known.length, sendersKeptSending: senderFailures.length === 0 };
    const ok = Object.values(checks).every(Boolean) && files.every((file) => Object.values(file.checks).every(Boolean));
    return {
      ok,
      report: {
        ok,
        appliance: target.label,
        mode: mode.kind,
        recordingMode: { name: mode.name, width: mode.width, height: mode.height, fps: mode.fps, videoBitrateKbps: mode.videoBitrateKbps },
        participants: opts.participants,
        seconds: opts.seconds,
        recordedMs: recording.recordedMs,
        stopToLinkMs,
        encoder: health.components.recorder?.details?.encoder ?? null,
        realtimeFactor: factors.length ? round(factors.reduce((sum, f) => sum + f, 0) / factors.length, 2) : null,
        realtimeFactorMin: factors.length ? round(Math.min(...factors), 2) : null,
        cpuSecondsPerRecordedSecond: cpuSeconds ? round((cpuSeconds.applianceProcess + cpuSeconds.sfuWorkers + cpuSeconds.recordingPipelines) / recordedSeconds) : null,
        cpuSeconds: cpu && cpuSeconds ? { ...cpuSeconds, pid: cpu.pid, window: 'recording start to the bot\'s links', method: CPU_METHOD } : null,
        ...(measured.pid === null ? { cpuNotMeasured: measured.reason } : {}),
        checks,
        problems: senderFailures,
        files,
      },
    };
  } finally {
    sampling = false;
    for (const sender of senders) {
      sender.removeAllListeners('exit');
      sender.kill('SIGKILL');
    }
    events?.close();
    // On a running appliance nothing may stay behind: the ingests close, and the conference ends
    // once everyone has left.
    for (const ingest of ingests) await ingest.client.delete(`/conferences/${conferenceId}/ingests/${ingest.id}`).catch((error: Error) => progress(`could not close a synthetic ingest: ${error.message}`));
    for (const client of present) await client.post(`/conferences/${conferenceId}/leave`).catch((error: Error) => progress(`a synthetic participant could not leave: ${error.message}`));
    await fs.rm(downloads, { recursive: true, force: true });
  }
}
