import fs from 'node:fs/promises';
import path from 'node:path';
import { FinaliseError, JoinError } from '../errors.ts';
import { describeMediaFile, probeMedia, type MediaProbe } from './describeMediaFile.ts';
import { joinSegments, type SegmentToJoin } from './joinSegments.ts';
import { OUTPUT_NAMES } from './outputNames.ts';
import { RecordingJournal, SEGMENTS_DIR, type JournalEntry, type OutputEntry } from './RecordingJournal.ts';
import type { RecordedFile, RecordingResult } from './RecordingResult.ts';
import { writeRecordingNote } from './writeRecordingNote.ts';

/** One entry of `manifest.json`, written for separate-tracks recordings. */
export interface ManifestTrack {
  file: string;
  participantId: string;
  participantName: string;
  medium: 'audio' | 'video';
  codec: string;
  /** Where the file's time 0 lies on the recording's timeline, pauses excluded. */
  startMs: number;
  durationMs: number;
}

/**
 * Turns what the journal lists into the finished files: takes each output's complete file where
 * the recording left a sound one, else joins its segments by stream copy; describes the results,
 * writes the manifest (separate tracks) and `recording.json`, then deletes the segments. If an
 * output cannot be made (no space left) it throws `JoinError` and leaves the segments and the
 * journal as they were, to be finalised again. The same code runs after a normal stop and when
 * recovering from a killed worker; only `interrupted` differs.
 */
export async function finaliseRecording(outputDir: string, interrupted: boolean, log: (message: string) => void = () => {}): Promise<RecordingResult> {
  const entries = RecordingJournal.read(outputDir);
  const started = entries?.find((e) => e.event === 'started');
  if (entries === undefined || started?.event !== 'started') {
    throw new FinaliseError(`no recording journal in ${outputDir}`);
  }
  const { params } = started;
  const problems = entries.flatMap((e) => (e.event === 'problem' ? [e.message] : []));
  // Outputs are independent: join them side by side, keeping their order in the result.
  const outputs = entries.filter((e): e is OutputEntry => e.event === 'output');
  const finished = await Promise.all(outputs.map((output) => finaliseOutput(outputDir, entries, output, params.title, interrupted, log)));
  const files = finished.flatMap((f) => (f.file === undefined ? [] : [f.file]));
  const tracks = finished.flatMap((f) => (f.track === undefined ? [] : [f.track]));
  problems.push(...finished.flatMap((f) => f.problems));
  // Nothing is written and no segment deleted until every output is made: a finalisation run
  // again once the cause (no space left) is gone makes them all.
  const unjoined = finished.filter((f) => !f.joined);
  if (unjoined.length > 0) throw new JoinError(`${outputDir}: ${unjoined.flatMap((f) => f.problems).join('; ')}`);

  const stopped = entries.find((e) => e.event === 'stopped');
  const recordedMs = stopped?.event === 'stopped' ? stopped.recordedMs : Math.max(0, ...files.map((f) => f.durationMs));
  if (params.mode.kind === 'separate-tracks') {
    const manifest = {
      recordingId: params.recordingId,
      title: params.title,
      startedAt: started.at,
      recordedMs,
      interrupted,
      tracks,
    };
    const manifestPath = path.join(outputDir, OUTPUT_NAMES.manifest);
    const size = await writeRecordingNote(manifestPath, manifest);
    files.push({ kind: 'manifest', path: manifestPath, sizeBytes: size, durationMs: 0, codecs: [] });
  }

  const result: RecordingResult = { files, recordedMs, interrupted, problems };
  await writeRecordingNote(path.join(outputDir, OUTPUT_NAMES.result), result);
  await fs.rm(path.join(outputDir, SEGMENTS_DIR), { recursive: true, force: true });
  return result;
}

interface FinishedOutput {
  file: RecordedFile | undefined;
  track: ManifestTrack | undefined;
  problems: string[];
  /** False when segments exist that could not be joined (yet). */
  joined: boolean;
}

async function finaliseOutput(outputDir: string, entries: JournalEntry[], output: OutputEntry, title: string, interrupted: boolean, log: (message: string) => void): Promise<FinishedOutput> {
  const problems: string[] = [];
  const target = path.join(outputDir, output.output);
  const complete = interrupted ? undefined : await soundCompleteFile(outputDir, entries, output.output);
  // Where the first segment's media begins; a complete file keeps its own lead.
  let leadMs = 0;
  try {
    if (complete !== undefined) {
      await fs.rename(complete.file, target);
      log(`${output.output}: the complete file written while recording`);
    } else {
      const segments = await usableSegments(outputDir, entries, output.output, problems);
      if (segments.length === 0) {
        return { file: undefined, track: undefined, problems: [...problems, `${output.output}: nothing was recorded`], joined: true };
      }
      await joinSegments(segments, target, title);
      log(`${output.output}: joined from ${segments.length} segment(s)`);
      leadMs = segments[0]!.firstPacketMs;
    }
  } catch (error) {
    return { file: undefined, track: undefined, problems: [...problems, (error as Error).message], joined: false };
  }
  const facts = await describeMediaFile(target, complete?.probe);
  const file: RecordedFile = {
    kind: output.kind,
    path: target,
    ...(output.participantId === undefined ? {} : { participantId: output.participantId }),
    ...(output.participantName === undefined ? {} : { participantName: output.participantName }),
    ...(output.medium === undefined ? {} : { medium: output.medium }),
    ...facts,
  };
  const track: ManifestTrack | undefined =
    output.kind === 'track'
      ? {
          file: output.output,
          participantId: output.participantId ?? '',
          participantName: output.participantName ?? '',
          medium: output.medium ?? 'audio',
          codec: facts.codecs[0] ?? output.codec ?? 'unknown',
          startMs: output.startMs + leadMs,
          durationMs: facts.durationMs,
        }
      : undefined;
  return { file, track, problems, joined: true };
}

/** The result a finished finalisation left in `outputDir`, if any. */
export async function readRecordingResult(outputDir: string): Promise<RecordingResult | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(outputDir, OUTPUT_NAMES.result), 'utf8')) as RecordingResult;
  } catch {
    return undefined;
  }
}

/**
 * The complete file written beside the output's segment, when it can stand for the output: the
 * output had that one segment only (more follow a pipeline replaced mid-recording), the segment
 * closed cleanly (so its muxer wrote the index), and the file reads as media.
 */
async function soundCompleteFile(outputDir: string, entries: JournalEntry[], output: string): Promise<{ file: string; probe: MediaProbe } | undefined> {
  const segments = entries.filter((e) => e.event === 'segment' && e.output === output);
  const segment = segments[0];
  if (segments.length !== 1 || segment?.event !== 'segment' || segment.completeFile === undefined) return undefined;
  const closed = entries.find((e) => e.event === 'segment-closed' && e.file === segment.file);
  if (closed?.event !== 'segment-closed' || closed.clean !== true) return undefined;
  const file = path.join(outputDir, segment.completeFile);
  try {
    const probe = await probeMedia(file);
    return probe.codecs.length > 0 ? { file, probe } : undefined;
  } catch {
    return undefined;
  }
}

/** An output's segments that hold media; empty or unreadable ones (cut at creation by a crash) are left out. */
async function usableSegments(outputDir: string, entries: JournalEntry[], output: string, problems: string[]): Promise<SegmentToJoin[]> {
  const durations = new Map(entries.flatMap((e) => (e.event === 'segment-closed' ? [[e.file, e.durationMs] as const] : [])));
  const usable: SegmentToJoin[] = [];
  for (const entry of entries) {
    if (entry.event !== 'segment' || entry.output !== output) continue;
    const file = path.join(outputDir, entry.file);
    try {
      const { codecs, startMs } = await probeMedia(file);
      if (codecs.length > 0) usable.push({ file, durationMs: durations.get(entry.file), firstPacketMs: startMs });
    } catch (error) {
      if (durations.has(entry.file)) problems.push(`segment ${entry.file} left out: ${(error as Error).message}`);
    }
  }
  return usable;
}
