import {
  EncoderUnavailableError,
  FinaliseError,
  JoinError,
  InputError,
  MediaToolTimeoutError,
  PipelineError,
  RecordingParamsError,
  RecordingStateError,
  WorkerError,
} from '../errors.ts';
import type { RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import type { RecordingParams } from '../params/RecordingParams.ts';

/** Environment variable naming the encoder a spare worker preloads; unset, every one present. */
export const PRELOAD_ENCODER_VARIABLE = 'RECORDING_PRELOAD_ENCODER';

/**
 * The JSON-lines protocol between `RecordingProcess` (parent) and the worker (child): requests
 * on the child's stdin, responses and notifications on its stdout, one JSON object per line.
 * The child's stderr carries human-readable log lines only.
 */

export interface RecordingProgress {
  /** Time recorded so far, pauses excluded. */
  recordedMs: number;
  framesEncoded: number;
  /** Frames per second handed to the encoder over the last interval. */
  fps: number;
  /** Media produced per wall-clock time over the last interval: about 1 when keeping up, lower when overloaded. */
  realtimeFactor: number;
}

/** The answer to `start`. */
export interface RecordingStarted {
  /** When the files' time 0 was, on the wall clock (epoch ms): the start command came a moment before. */
  startedAt: number;
  /** The loopback ports of each input the recording started with, by input id. */
  ports: Record<string, RtpPorts>;
}

export type WorkerCommand =
  /** `inputs`: everyone present at the start, so the first layout already shows them all. */
  | { method: 'start'; params: RecordingParams; inputs: RtpInputSpec[] }
  | { method: 'addInput'; input: RtpInputSpec }
  | { method: 'removeInput'; inputId: string }
  | { method: 'setConsent'; participantId: string; consented: boolean }
  | { method: 'pause' }
  | { method: 'resume' }
  | { method: 'stop' };

export type WorkerRequest = WorkerCommand & { id: number };

export interface SerializedError {
  name: string;
  message: string;
  /** The error's own data fields (problems, operation, state, inputId…). */
  details: Record<string, unknown>;
}

export type WorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SerializedError };

export type WorkerNotification =
  | { event: 'progress'; progress: RecordingProgress }
  | { event: 'failed'; reason: string }
  /** The input's receiver needs a keyframe: the appliance should call `consumer.requestKeyFrame()`. */
  | { event: 'keyframeNeeded'; inputId: string };

export type WorkerMessage = WorkerResponse | WorkerNotification;

const ERROR_CLASSES: Record<string, { prototype: Error }> = {
  RecordingParamsError,
  RecordingStateError,
  InputError,
  EncoderUnavailableError,
  PipelineError,
  WorkerError,
  FinaliseError,
  JoinError,
  MediaToolTimeoutError,
};

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), details: {} };
  const { name, message, stack: _stack, ...details } = error as Error & Record<string, unknown>;
  return { name, message, details };
}

/** Rebuilds an error of the class the worker threw, so callers can use `instanceof`. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  Object.setPrototypeOf(error, ERROR_CLASSES[serialized.name]?.prototype ?? Error.prototype);
  Object.assign(error, serialized.details, { name: serialized.name });
  return error;
}

/**
 * libuv thread-pool size the worker runs with: every playing pipeline occupies one thread for
 * its bus (see GstPipeline), so the default of 4 would deadlock with a handful of inputs.
 */
export const WORKER_THREADPOOL_SIZE = 64;
export const MIN_WORKER_THREADPOOL_SIZE = 16;
