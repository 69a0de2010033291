import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileLink } from '../access/download-gate.ts';
import { readDownloadLink } from '../access/download-links.ts';
import type { ChatLink, RecordingModeKind } from '../domain/index.ts';
import { analyseFrames, type FrameAnalysis } from '../../pipelines/diagnostics/frameAnalysis.ts';
import { loudness, probeStreams } from '../../pipelines/diagnostics/mediaProbe.ts';
import type { ApplianceClient } from './appliance-client.ts';

/** A file lasts as long as the timer says, pauses excluded, within this. */
const DURATION_TOLERANCE_MS = 500;
/** Peak level below which a file's audio counts as silent; the senders' tones peak far above it. */
const SILENCE_DB = -40;

export interface FileReport {
  name: string;
  kind: string;
  participantName: string | null;
  medium: string | null;
  sizeBytes: number;
  durationMs: number | null;
  /** Where it starts on the recording's timeline. */
  startMs: number;
  codecs: string[];
  maxVolumeDb: number | null;
  /** The composite picture's frame analysis (the downloaded file alone: no placeholder figures). */
  frames: FrameAnalysis | null;
  checks: Record<string, boolean>;
}

export interface RecordedTime {
  recordedMs: number;
  /**
   * Where the file starts on the recording's timeline (the manifest's startMs of a track): a
   * track begins with its participant's first packet, or first keyframe, and lasts to the end.
   */
  startMs: number;
}

/**
 * Downloads one linked file and checks it. `facts` is what the appliance's API says about the
 * file: the download must match its size, and the length the response announced.
 */
export async function checkFile(client: ApplianceClient, link: ChatLink, facts: FileLink, into: string, time: RecordedTime, mode: RecordingModeKind): Promise<FileReport> {
  const { name } = readDownloadLink(link.url);
  const { response, body } = await client.download(link.url);
  const file = path.join(into, name);
  await fs.writeFile(file, body);
  const announced = Number(response.headers.get('content-length'));
  const checks: Record<string, boolean> = { downloaded: response.ok && body.length === announced && body.length === facts.sizeBytes };
  const report: FileReport = { name, kind: facts.kind, participantName: facts.participantName, medium: facts.medium, sizeBytes: body.length, durationMs: null, startMs: time.startMs, codecs: [], maxVolumeDb: null, frames: null, checks };
  if (!response.ok) return report;
  if (facts.kind === 'manifest') {
    checks.manifestParses = await fs.readFile(file, 'utf8').then((text) => (JSON.parse(text), true), () => false);
    return report;
  }
  const probed = await probeStreams(file);
  report.durationMs = Math.round(probed.durationSeconds * 1000);
  report.codecs = probed.streams.map((stream) => stream.codec_name);
  const videoTrack = facts.kind === 'track' && facts.medium === 'video';
  checks.duration = Math.abs(time.startMs + report.durationMs - time.recordedMs) <= DURATION_TOLERANCE_MS;
  // Separate tracks keep the codec they were sent in (VP8); the composite picture is encoded to HEVC.
  if (videoTrack) checks.videoPresent = probed.streams.some((stream) => stream.codec_type === 'video');
  else if (facts.kind === 'video' && mode !== 'audio-only') {
    checks.hevcVideo = probed.streams.some((stream) => stream.codec_type === 'video' && stream.codec_name === 'hevc');
    // Everyone is present from the start: the composite is never black.
    report.frames = await analyseFrames(file);
    checks.noBlackFrames = report.frames.blackSeconds === 0;
  }
  // A composite video file carries the mixed audio too; a video track does not.
  if (facts.kind !== 'track' || facts.medium === 'audio') {
    checks.audioPresent = probed.streams.some((stream) => stream.codec_type === 'audio');
    report.maxVolumeDb = checks.audioPresent ? (await loudness(file)).maxDb : null;
    checks.audible = report.maxVolumeDb !== null && report.maxVolumeDb > SILENCE_DB;
  }
  return report;
}

/** The files each mode must produce, whatever else it adds. */
export function expectedFiles(mode: RecordingModeKind, participants: number, files: FileReport[]): boolean {
  const count = (kind: string) => files.filter((file) => file.kind === kind).length;
  if (mode === 'composite') return count('video') >= 1;
  if (mode === 'audio-only') return count('audio') >= 1 && count('video') === 0;
  return count('track') >= 2 * participants && count('manifest') === 1;
}
