import { ConflictError } from './errors.ts';
import { interruptionNote } from './recordings-bot.ts';
import type { RecordingModeSettings } from './recording-mode.ts';

/**
 * `recording` and `paused` are the live states; after stop a recording is `processing` until its
 * files are final, then `ready`, or `failed` when nothing usable could be kept.
 */
export type RecordingState = 'recording' | 'paused' | 'processing' | 'ready' | 'failed';

/**
 * The three ways of the manual, plus the stops nobody chose. `controllers-left`: the last admin who
 * may control recording left while admins who may not (regional ones) remain, so the chat must not
 * say that every admin has gone.
 */
export type StopReason = 'timer' | 'menu' | 'leave' | 'all-admins-left' | 'controllers-left' | 'failure' | 'disk-full';

/** Every stop reason, in the order the schema lists them. */
export const STOP_REASONS: readonly StopReason[] = ['timer', 'menu', 'leave', 'all-admins-left', 'controllers-left', 'failure', 'disk-full'];

/** A stop nobody chose: the audit log names no one for it. */
export function isAutomaticStop(reason: StopReason): boolean {
  return reason !== 'timer' && reason !== 'menu' && reason !== 'leave';
}

/** The two places the manual offers a stop from while staying in the conference. */
export type StopControl = Extract<StopReason, 'timer' | 'menu'>;

/** The settings a recording was started with, frozen for its whole life. */
export interface RecordingModeSnapshot {
  id: string;
  name: string;
  settings: RecordingModeSettings;
}

export interface RecordingData {
  id: string;
  conferenceId: string;
  /** 1 for a conference's first recording, then 2, … (names the files). */
  number: number;
  state: RecordingState;
  startedBy: string;
  startedAt: Date;
  /** Recorded time of the runs that have ended, pauses excluded. */
  recordedMs: number;
  /** Start of the run under way; null while paused and after stop. */
  runningSince: Date | null;
  stoppedAt: Date | null;
  stoppedBy: string | null;
  stopReason: StopReason | null;
  /** Why the recording failed or was cut short, in words for the chat. */
  problem: string | null;
  mode: RecordingModeSnapshot | null;
}

export function isLive(recording: Pick<RecordingData, 'state'>): boolean {
  return recording.state === 'recording' || recording.state === 'paused';
}

/** The timer: recorded time excluding pauses, as of `now`. */
export function recordedTime(recording: Pick<RecordingData, 'recordedMs' | 'runningSince'>, now: Date): number {
  const running = recording.runningSince ? Math.max(0, now.getTime() - recording.runningSince.getTime()) : 0;
  return recording.recordedMs + running;
}

export function newRecording(fields: { id: string; conferenceId: string; number: number; startedBy: string; now: Date; mode: RecordingModeSnapshot | null }): RecordingData {
  return {
    id: fields.id,
    conferenceId: fields.conferenceId,
    number: fields.number,
    state: 'recording',
    startedBy: fields.startedBy,
    startedAt: fields.now,
    recordedMs: 0,
    runningSince: fields.now,
    stoppedAt: null,
    stoppedBy: null,
    stopReason: null,
    problem: null,
    mode: fields.mode ? structuredClone(fields.mode) : null,
  };
}

/** A pipeline slower than this to begin is left to the logs rather than moving the timer. */
export const LONGEST_PIPELINE_START_MS = 10_000;

/**
 * The recording's pipeline began writing at `at`, a moment after the start command: the first
 * run's timer counts from then, so it says how long the files are rather than running ahead by the
 * time the pipeline took to start. A later run (after a pause or a restart), a paused or stopped
 * recording, and a moment before the command or implausibly late leave the timer as it is.
 * Returns whether the timer moved.
 */
export function countFromPipelineStart(recording: RecordingData, at: Date): boolean {
  if (recording.state !== 'recording' || recording.runningSince?.getTime() !== recording.startedAt.getTime()) return false;
  const delayMs = at.getTime() - recording.startedAt.getTime();
  if (delayMs <= 0 || delayMs > LONGEST_PIPELINE_START_MS) return false;
  recording.runningSince = at;
  return true;
}

export function pauseRecording(recording: RecordingData, now: Date): void {
  if (recording.state === 'paused') throw new ConflictError('the recording is already paused');
  if (recording.state !== 'recording') throw new ConflictError('the recording has already been stopped');
  recording.recordedMs = recordedTime(recording, now);
  recording.runningSince = null;
  recording.state = 'paused';
}

export function resumeRecording(recording: RecordingData, now: Date): void {
  if (recording.state === 'recording') throw new ConflictError('the recording is not paused');
  if (recording.state !== 'paused') throw new ConflictError('the recording has already been stopped');
  recording.runningSince = now;
  recording.state = 'recording';
}

export function stopRecording(recording: RecordingData, stop: { by: string | null; reason: StopReason; now: Date }): void {
  if (!isLive(recording)) throw new ConflictError('the recording has already been stopped');
  recording.recordedMs = recordedTime(recording, stop.now);
  recording.runningSince = null;
  recording.state = 'processing';
  recording.stoppedAt = stop.now;
  recording.stoppedBy = stop.by;
  recording.stopReason = stop.reason;
}

/**
 * The files are final: the recording is ready, or failed when there is nothing to offer. When the
 * pipeline measured how long its files are, that becomes the recorded time: the timer ran from
 * the pause and stop commands, the pipeline from the moments they reached it, a fraction of a
 * second later, so the recording says how long its files really are. After interruptions the
 * files lack what was lost meanwhile, which the timer counted: the difference is what the chat
 * is told was lost.
 */
export function finishProcessing(recording: RecordingData, outcome: { fileCount: number; problem: string | null; recordedMs?: number; interruptions?: number }): void {
  if (recording.state !== 'processing') throw new ConflictError(`a ${recording.state} recording is not being processed`);
  const measured = outcome.recordedMs;
  if (measured !== undefined && !(Number.isFinite(measured) && measured >= 0)) throw new RangeError(`a recorded time of ${measured} ms is not a duration`);
  recording.state = outcome.fileCount > 0 ? 'ready' : 'failed';
  recording.problem = outcome.problem ?? recording.problem;
  if (measured === undefined || outcome.fileCount === 0) return;
  if ((outcome.interruptions ?? 0) > 0) recording.problem = interruptionNote(outcome.interruptions!, Math.max(0, recording.recordedMs - measured));
  recording.recordedMs = Math.round(measured);
}
