import fs from 'node:fs';
import path from 'node:path';
import { FrameAnalysisError } from '../errors.ts';
import { readJsonLines } from './readJsonLines.ts';

/** Beside a composite recording's files: what each layout showed, for the frame analysis. */
export const LAYOUT_LOG_FILE = 'layout.jsonl';

/** A tile of the composite and what it showed. */
export interface LoggedTile {
  participantId: string;
  participantName: string;
  /** A camera's picture, or a placeholder (no camera, camera stalled or off, no consent). */
  shows: 'video' | 'placeholder';
  /** Whether the participant had a camera input attached when the layout was made. */
  cameraAttached: boolean;
}

/** One layout shown from `atMs` on the recording's timeline (pauses excluded) until the next. */
export interface LayoutLogEntry {
  atMs: number;
  tiles: LoggedTile[];
}

/** Append-only, one JSON object per line, so what a killed worker logged stays readable. */
export class LayoutLog {
  readonly #file: string;

  constructor(outputDir: string) {
    this.#file = path.join(outputDir, LAYOUT_LOG_FILE);
  }

  append(entry: LayoutLogEntry): void {
    fs.appendFileSync(this.#file, `${JSON.stringify(entry)}\n`);
  }

  /** Reads a layout log; a last line cut short is ignored. */
  static read(file: string): LayoutLogEntry[] {
    const entries = readJsonLines<LayoutLogEntry>(file);
    if (entries === undefined) throw new FrameAnalysisError(`the layout log ${file} cannot be read`);
    return entries;
  }
}
