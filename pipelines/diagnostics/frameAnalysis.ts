import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LayoutLog, type LayoutLogEntry } from '../sinks/LayoutLog.ts';
import { measureMarkSync } from './avMarks.ts';
import { probeStreams } from './mediaProbe.ts';

const run = promisify(execFile);

/** [start, duration] in seconds of the file's timeline. */
export type Period = [number, number];

export interface FrameAnalysis {
  durationSeconds: number;
  /** Frames all but black: 99.9 % of their pixels darker than 5 % above black. */
  blackSeconds: number;
  blackPeriods: Period[];
  /** Stretches of at least half a second in which the picture did not change at all. */
  frozenSeconds: number;
  frozenPeriods: Period[];
  /**
   * By participant name, seconds shown as a placeholder while a camera of theirs was attached,
   * from the layout log the recording wrote beside its files; null without a layout log.
   */
  placeholderSeconds: Record<string, number> | null;
  /** Audio minus picture, from flash-and-beep marks (the long-recording bench's); null unless asked for. */
  avOffsetMs: { start: number; end: number; pairs: number } | null;
}

export interface FrameAnalysisOptions {
  /** The recording's `layout.jsonl`, for the placeholder seconds. */
  layoutLog?: string;
  /** Measure the A/V offset from flash-and-beep marks. */
  marks?: boolean;
}

// pix_th 0.05: compression noise on a black canvas stays under it, a dark but real picture does not.
const BLACK_FILTER = 'blackdetect=d=0:pix_th=0.05:pic_th=0.999';
const FROZEN_MIN_SECONDS = 0.5;
const FREEZE_FILTER = `freezedetect=n=0.0003:d=${FROZEN_MIN_SECONDS}`;

/** Black, frozen and placeholder seconds of a recorded video, and its A/V offset where it has marks. */
export async function analyseFrames(file: string, options: FrameAnalysisOptions = {}): Promise<FrameAnalysis> {
  const { durationSeconds } = await probeStreams(file);
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-an', '-vf', `${BLACK_FILTER},${FREEZE_FILTER}`, '-f', 'null', '-'], { maxBuffer: 1 << 30 });
  const blackPeriods = [...stderr.matchAll(/black_start:([\d.]+) black_end:([\d.]+) black_duration:([\d.]+)/g)].map((m): Period => [Number(m[1]), Number(m[3])]);
  const freezeStarts = [...stderr.matchAll(/freeze_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const freezeDurations = [...stderr.matchAll(/freeze_duration: ([\d.]+)/g)].map((m) => Number(m[1]));
  // A freeze lasting to the end of the file is reported without an end.
  const frozenPeriods = freezeStarts.map((start, index): Period => [start, freezeDurations[index] ?? durationSeconds - start]);
  const sync = options.marks ? await measureMarkSync(file) : undefined;
  return {
    durationSeconds: round(durationSeconds),
    blackSeconds: round(total(blackPeriods)),
    blackPeriods: blackPeriods.map(roundPeriod),
    frozenSeconds: round(total(frozenPeriods)),
    frozenPeriods: frozenPeriods.map(roundPeriod),
    placeholderSeconds: options.layoutLog === undefined ? null : placeholderSeconds(LayoutLog.read(options.layoutLog), durationSeconds),
    avOffsetMs: sync === undefined || sync.pairs === 0 ? null : { start: sync.startOffsetMs, end: sync.endOffsetMs, pairs: sync.pairs },
  };
}

/** Each layout lasts until the next one, the last until the end of the file. */
export function placeholderSeconds(entries: readonly LayoutLogEntry[], durationSeconds: number): Record<string, number> {
  const seconds: Record<string, number> = {};
  entries.forEach((entry, index) => {
    const endMs = Math.min(entries[index + 1]?.atMs ?? Number.POSITIVE_INFINITY, durationSeconds * 1000);
    const lasted = Math.max(0, endMs - entry.atMs) / 1000;
    for (const tile of entry.tiles) {
      seconds[tile.participantName] ??= 0;
      if (tile.shows === 'placeholder' && tile.cameraAttached) seconds[tile.participantName] = (seconds[tile.participantName] as number) + lasted;
    }
  });
  return Object.fromEntries(Object.entries(seconds).map(([name, value]) => [name, round(value)]));
}

const total = (periods: Period[]) => periods.reduce((sum, [, duration]) => sum + duration, 0);
const round = (value: number) => Math.round(value * 100) / 100;
const roundPeriod = ([start, duration]: Period): Period => [round(start), round(duration)];
