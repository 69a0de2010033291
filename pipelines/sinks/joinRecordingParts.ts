import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeMediaFile } from './describeMediaFile.ts';
import { readRecordingResult, type ManifestTrack } from './finaliseRecording.ts';
import { joinSegments } from './joinSegments.ts';
import { OUTPUT_NAMES } from './outputNames.ts';
import type { RecordedFile, RecordingResult } from './RecordingResult.ts';
import { writeRecordingNote } from './writeRecordingNote.ts';

/** A recording made of several parts, joined into one. */
export interface JoinedRecording extends RecordingResult {
  /** How many parts there were. */
  parts: number;
  /** How often the recording broke off: see `interruptionsOf`. */
  interruptions: number;
}

/**
 * Joins the parts of a recording (one per pipeline process: a pipeline restarted after a failure,
 * or an appliance restarted after a kill) into one recording: one file per medium, by stream copy
 * (every part was encoded with the same settings), and for separate tracks one manifest that
 * places every part's tracks on the joined timeline.
 *
 * The stretch lost between two parts is left out, not filled: a slate would have to be encoded
 * in the parts' exact format, which costs minutes of CPU per hour of recording on this kind of
 * machine and delays the links, while a cut keeps the join a copy. The chat message says how long
 * the lost stretch was.
 *
 * The joined result is written to the recording's folder before the parts' files are deleted, so
 * a finish interrupted here and run again returns that result. A join that fails (no space left)
 * throws and leaves every part as it was, to be joined again later.
 */
export async function joinRecordingParts(recordingDir: string, parts: readonly RecordingResult[], title: string, log: (message: string) => void = () => {}): Promise<JoinedRecording> {
  const earlier = await readRecordingResult(recordingDir);
  if (earlier !== undefined) return earlier as JoinedRecording;

  const files: RecordedFile[] = [];
  const superseded: string[] = [];
  const partMs = new Map(parts.map((part) => [part, heldByEveryMedium(part)]));
  // Composite and mixed-audio outputs carry the same name in every part: one joined file each.
  const byName = new Map<string, Array<{ file: RecordedFile; partMs: number }>>();
  for (const part of parts) {
    for (const file of part.files) {
      if (file.kind !== 'video' && file.kind !== 'audio') continue;
      const name = path.basename(file.path);
      byName.set(name, [...(byName.get(name) ?? []), { file, partMs: partMs.get(part)! }]);
    }
  }
  for (const [name, pieces] of byName) {
    const target = path.join(recordingDir, name);
    const began = performance.now();
    await joinSegments(
      pieces.map((piece) => ({ file: piece.file.path, durationMs: piece.partMs, firstPacketMs: 0 })),
      target,
      title,
    );
    const facts = await describeMediaFile(target);
    log(`${name}: joined ${pieces.length} parts (${facts.durationMs} ms, ${facts.sizeBytes} bytes) by stream copy in ${Math.round(performance.now() - began)} ms`);
    files.push({ kind: pieces[0]!.file.kind, path: target, ...facts });
    superseded.push(...pieces.map((piece) => piece.file.path));
  }

  // Separate tracks stay in their parts' folders; the manifest moves each part's tracks by the
  // time recorded in the parts before it.
  const tracks: ManifestTrack[] = [];
  let offsetMs = 0;
  for (const part of parts) {
    const manifest = part.files.find((file) => file.kind === 'manifest');
    if (manifest !== undefined) {
      const { tracks: partTracks } = JSON.parse(await fs.readFile(manifest.path, 'utf8')) as { tracks: ManifestTrack[] };
      const partDir = path.dirname(manifest.path);
      for (const track of partTracks) {
        tracks.push({ ...track, file: path.relative(recordingDir, path.join(partDir, track.file)), startMs: track.startMs + offsetMs });
      }
      superseded.push(manifest.path);
    }
    files.push(...part.files.filter((file) => file.kind === 'track'));
    offsetMs += partMs.get(part)!;
  }

  const joinedMedia = files.filter((file) => file.kind === 'video' || file.kind === 'audio');
  const recordedMs = joinedMedia.length > 0 ? Math.max(...joinedMedia.map((file) => file.durationMs)) : offsetMs;
  const interruptions = interruptionsOf(parts);
  if (tracks.length > 0) {
    const manifestPath = path.join(recordingDir, OUTPUT_NAMES.manifest);
    const manifest = { recordingId: path.basename(recordingDir), title, recordedMs, parts: parts.length, interrupted: interruptions > 0, tracks };
    const size = await writeRecordingNote(manifestPath, manifest);
    files.push({ kind: 'manifest', path: manifestPath, sizeBytes: size, durationMs: 0, codecs: [] });
  }

  const joined: JoinedRecording = {
    files,
    recordedMs,
    interrupted: interruptions > 0,
    problems: parts.flatMap((part) => part.problems),
    parts: parts.length,
    interruptions,
  };
  await writeRecordingNote(path.join(recordingDir, OUTPUT_NAMES.result), joined);
  await Promise.all(superseded.map((file) => fs.rm(file, { force: true })));
  return joined;
}

/**
 * How much of the recording's timeline a part holds in every one of its files. A killed pipeline
 * loses a different tail of each medium (the video muxer's unwritten fragment, a second or so,
 * against a few audio frames): the next part begins where the shortest ended, and the longer
 * ones are cut there, so that sound and picture stay in step after the join and the joined files
 * last equally long.
 */
function heldByEveryMedium(part: RecordingResult): number {
  const media = part.files.filter((file) => file.kind === 'video' || file.kind === 'audio');
  return media.length > 0 ? Math.min(...media.map((file) => file.durationMs)) : part.recordedMs;
}

/**
 * How often a recording made of these parts broke off: between every two parts, whether the
 * first ended cleanly (the appliance stopped by its service manager) or was killed, the
 * recording lost the stretch until the next began; and once more if the last part was killed.
 */
export function interruptionsOf(parts: readonly RecordingResult[]): number {
  return Math.max(0, parts.length - 1) + (parts.at(-1)?.interrupted ? 1 : 0);
}
