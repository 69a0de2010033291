import type { PipelineError } from '../errors.ts';
import type { RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import type { RecordingParams } from '../params/RecordingParams.ts';
import type { RecordingJournal } from '../sinks/RecordingJournal.ts';
import type { ParticipantConsent } from './ParticipantConsent.ts';
import type { RecordingClock } from './RecordingClock.ts';

/** What an engine gets from the worker recording that drives it. */
export interface EngineContext {
  params: RecordingParams;
  journal: RecordingJournal;
  clock: RecordingClock;
  consent: ParticipantConsent;
  /** A pipeline the recording cannot go on without failed. */
  fail(error: PipelineError): void;
  /** Something went wrong that the recording survives; it ends up in the result's problems. */
  problem(message: string): void;
  keyframeNeeded(inputId: string): void;
  log(message: string): void;
}

export interface MediaCounters {
  framesEncoded: number;
  /** Media time produced, for the realtime factor. */
  mediaMs: number;
}

/**
 * The mode-specific half of a recording. The worker recording checks states and serialises calls, so an
 * engine sees one call at a time, `pause` only while running and `resume` only while paused.
 */
export interface RecordingEngine {
  /** Starts with the inputs already present, and answers where each listens. */
  begin(inputs: readonly RtpInputSpec[]): Promise<Record<string, RtpPorts>>;
  addInput(spec: RtpInputSpec): Promise<RtpPorts>;
  removeInput(inputId: string): Promise<void>;
  /** Called after the consent changed who may be recorded. */
  consentChanged(participantId: string): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Closes every segment and stops every pipeline. */
  end(): Promise<void>;
  counters(): MediaCounters;
}
