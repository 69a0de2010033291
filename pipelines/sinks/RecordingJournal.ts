import fs from 'node:fs';
import path from 'node:path';
import type { RecordingParams } from '../params/RecordingParams.ts';
import { readJsonLines } from './readJsonLines.ts';
import type { RecordedFileKind } from './RecordingResult.ts';

export const SEGMENTS_DIR = 'segments';
const JOURNAL_FILE = path.join(SEGMENTS_DIR, 'journal.jsonl');

/** A finished file the recording produces: its complete file, or its segments joined at the end. */
export interface OutputEntry {
  event: 'output';
  /** Path relative to the output directory. */
  output: string;
  kind: Exclude<RecordedFileKind, 'manifest'>;
  participantId?: string;
  participantName?: string;
  medium?: 'audio' | 'video';
  codec?: string;
  /** Where the output's time 0 lies on the recording's timeline (pauses excluded). */
  startMs: number;
}

export type JournalEntry =
  | { event: 'started'; at: string; params: RecordingParams }
  | OutputEntry
  /** `completeFile`: the output written whole beside the segment, usable if the segment is the output's only one and closed cleanly. */
  | { event: 'segment'; output: string; file: string; completeFile?: string }
  | { event: 'segment-closed'; file: string; durationMs: number; clean?: boolean }
  | { event: 'problem'; message: string }
  | { event: 'stopped'; recordedMs: number };

/**
 * Append-only record of what the recording wrote, one JSON object per line, kept next to the
 * segments. Synchronous appends reach the kernel before the next pipeline starts, so after a
 * crash the journal always lists every segment file that exists. Finalisation, normal or after
 * a crash, works from the journal alone.
 */
export class RecordingJournal {
  readonly #file: string;

  private constructor(file: string) {
    this.#file = file;
  }

  static create(params: RecordingParams): RecordingJournal {
    fs.mkdirSync(path.join(params.outputDir, SEGMENTS_DIR), { recursive: true });
    const file = path.join(params.outputDir, JOURNAL_FILE);
    fs.writeFileSync(file, '');
    const journal = new RecordingJournal(file);
    journal.append({ event: 'started', at: new Date().toISOString(), params });
    return journal;
  }

  /** Reads a journal; a last line cut short by a crash is ignored. Undefined when there is none. */
  static read(outputDir: string): JournalEntry[] | undefined {
    return readJsonLines<JournalEntry>(path.join(outputDir, JOURNAL_FILE));
  }

  append(entry: JournalEntry): void {
    fs.appendFileSync(this.#file, `${JSON.stringify(entry)}\n`);
  }
}
