import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The marks' period: a white flash and a 1 kHz beep start together every this many seconds. */
export const MARK_PERIOD_S = 2;
export const MARK_LENGTH_S = 0.2;
/** How many marks at each end of the recording the start and end offsets are averaged over. */
const MARKS_AVERAGED = 10;

export interface MarkSync {
  flashes: number;
  beeps: number;
  pairs: number;
  /** Audio onset minus picture onset, averaged over the first and the last marks. */
  startOffsetMs: number;
  endOffsetMs: number;
  driftMs: number;
  maxAbsOffsetMs: number;
  /** Every pair's offset, in order. */
  offsetsMs: number[];
}

/** Times (s) at which the picture turns bright. */
async function flashOnsets(file: string): Promise<number[]> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-an', '-vf', 'scale=160:90,signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-', '-f', 'null', '-'], { maxBuffer: 1 << 30 });
  const frames: Array<{ t: number; y: number }> = [];
  let t = 0;
  for (const line of stdout.split('\n')) {
    const time = /pts_time:([\d.]+)/.exec(line);
    if (time) t = Number(time[1]);
    const luma = /YAVG=([\d.]+)/.exec(line);
    if (luma) frames.push({ t, y: Number(luma[1]) });
  }
  const ys = frames.map((f) => f.y);
  const threshold = (Math.min(...ys) + Math.max(...ys)) / 2;
  return frames.filter((f, i) => f.y > threshold && (i === 0 || frames[i - 1]!.y <= threshold)).map((f) => f.t);
}

/** Times (s) at which the tone starts sounding. */
async function beepOnsets(file: string): Promise<number[]> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-vn', '-af', 'silencedetect=noise=-30dB:duration=0.05', '-f', 'null', '-'], { maxBuffer: 1 << 30 });
  return [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
}

/**
 * Audio minus video onset for each flash that has a beep within half a period: the A/V offset of
 * a file recorded from flash-and-beep marks (the long-recording bench's sender).
 */
export async function measureMarkSync(file: string): Promise<MarkSync> {
  const [flashes, beeps] = await Promise.all([flashOnsets(file), beepOnsets(file)]);
  const offsets: number[] = [];
  for (const flash of flashes) {
    const beep = beeps.find((b) => Math.abs(b - flash) < MARK_PERIOD_S / 2);
    if (beep !== undefined) offsets.push((beep - flash) * 1000);
  }
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  const start = mean(offsets.slice(0, MARKS_AVERAGED));
  const end = mean(offsets.slice(-MARKS_AVERAGED));
  return {
    flashes: flashes.length,
    beeps: beeps.length,
    pairs: offsets.length,
    startOffsetMs: Math.round(start),
    endOffsetMs: Math.round(end),
    driftMs: Math.round(end - start),
    maxAbsOffsetMs: Math.round(Math.max(0, ...offsets.map(Math.abs))),
    offsetsMs: offsets.map(Math.round),
  };
}
