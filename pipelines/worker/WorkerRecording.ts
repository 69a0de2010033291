import { performance } from 'node:perf_hooks';
import { InputError, RecordingStateError, type PipelineError } from '../errors.ts';
import { GstPipeline } from '../gst/GstPipeline.ts';
import { validateRtpInputSpec, type RtpPorts } from '../inputs/RtpInputSpec.ts';
import { validateRecordingParams, type RecordingParams } from '../params/RecordingParams.ts';
import { finaliseRecording } from '../sinks/finaliseRecording.ts';
import { RecordingJournal } from '../sinks/RecordingJournal.ts';
import type { RecordingResult } from '../sinks/RecordingResult.ts';
import { MixedRecording } from './MixedRecording.ts';
import { ParticipantConsent } from './ParticipantConsent.ts';
import type { RecordingProgress, RecordingStarted } from './protocol.ts';
import { RecordingClock } from './RecordingClock.ts';
import type { EngineContext, MediaCounters, RecordingEngine } from './RecordingEngine.ts';
import { TrackRecording } from './TrackRecording.ts';

export type WorkerRecordingState = 'idle' | 'recording' | 'paused' | 'stopping' | 'stopped' | 'failed';

export interface WorkerRecordingListener {
  progress(progress: RecordingProgress): void;
  failed(reason: string): void;
  keyframeNeeded(inputId: string): void;
  log(message: string): void;
}

const PROGRESS_INTERVAL_MS = 1000;
/** Pipelines each hold a thread-pool thread (see GstPipeline); keep some for file I/O and DNS. */
const THREADS_KEPT_FREE = 6;

/**
 * The worker's recording: checks every call against the state, runs the engine of the mode, and
 * reports progress. Calls must not overlap; the worker's command loop runs them one at a time.
 */
export class WorkerRecording {
  readonly #listener: WorkerRecordingListener;
  readonly #clock = new RecordingClock();
  #state: WorkerRecordingState = 'idle';
  #params: RecordingParams | undefined;
  #journal: RecordingJournal | undefined;
  #consent: ParticipantConsent | undefined;
  #engine: RecordingEngine | undefined;
  #progressTimer: NodeJS.Timeout | undefined;
  #lastSample: { at: number; counters: MediaCounters } | undefined;
  #failure: PipelineError | undefined;

  constructor(listener: WorkerRecordingListener) {
    this.#listener = listener;
  }

  get state(): WorkerRecordingState {
    return this.#state;
  }

  async start(params: unknown, inputs: unknown): Promise<RecordingStarted> {
    this.#expectState('start', 'idle');
    const valid = validateRecordingParams(params);
    if (!Array.isArray(inputs)) throw new TypeError('start expects a list of inputs');
    const specs = inputs.map((spec) => validateRtpInputSpec(spec));
    this.#checkThreadRoom(specs.length);
    const journal = RecordingJournal.create(valid);
    const consent = new ParticipantConsent(valid.mode.onlyConsenting);
    const context: EngineContext = {
      params: valid,
      journal,
      clock: this.#clock,
      consent,
      fail: (error) => this.#fail(error),
      problem: (message) => {
        journal.append({ event: 'problem', message });
        this.#listener.log(`problem: ${message}`);
      },
      keyframeNeeded: (inputId) => this.#listener.keyframeNeeded(inputId),
      log: (message) => this.#listener.log(message),
    };
    this.#params = valid;
    this.#journal = journal;
    this.#consent = consent;
    this.#engine = valid.mode.kind === 'separate-tracks' ? new TrackRecording(context) : new MixedRecording(context);
    this.#state = 'recording';
    let ports: Record<string, RtpPorts>;
    try {
      ports = await this.#engine.begin(specs);
      // A pipeline may fail while the others start; the start then fails too.
      if (this.#failure !== undefined) throw this.#failure;
    } catch (error) {
      this.#state = 'failed';
      GstPipeline.stopAll();
      throw error;
    }
    this.#progressTimer = setInterval(() => this.#reportProgress(), PROGRESS_INTERVAL_MS);
    return { startedAt: this.#clock.startedAt ?? Date.now(), ports };
  }

  async addInput(spec: unknown): Promise<RtpPorts> {
    const engine = this.#expect('add an input', 'recording', 'paused');
    const valid = validateRtpInputSpec(spec);
    this.#checkThreadRoom(1, valid.inputId);
    return engine.addInput(valid);
  }

  /** Each input's pipeline holds a thread-pool thread: refuses inputs the pool has no room for. */
  #checkThreadRoom(more: number, inputId = 'start'): void {
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    if (GstPipeline.liveCount + more > threads - THREADS_KEPT_FREE) {
      throw new InputError(inputId, `this recording process already runs ${GstPipeline.liveCount} pipelines, ${more} more would pass its limit (UV_THREADPOOL_SIZE=${threads})`);
    }
  }

  async removeInput(inputId: string): Promise<void> {
    await this.#expect('remove an input', 'recording', 'paused').removeInput(inputId);
  }

  async setConsent(participantId: string, consented: boolean): Promise<void> {
    const engine = this.#expect('set consent', 'recording', 'paused');
    if (typeof participantId !== 'string' || typeof consented !== 'boolean') {
      throw new TypeError('setConsent expects a participant id and true or false');
    }
    if (this.#consent?.set(participantId, consented)) await engine.consentChanged(participantId);
  }

  async pause(): Promise<void> {
    const engine = this.#expect('pause', 'recording');
    this.#state = 'paused';
    await engine.pause();
  }

  async resume(): Promise<void> {
    const engine = this.#expect('resume', 'paused');
    this.#state = 'recording';
    this.#lastSample = undefined;
    await engine.resume();
  }

  /** Closes every segment, then makes and describes the files. */
  async stop(): Promise<RecordingResult> {
    const engine = this.#expect('stop', 'recording', 'paused');
    this.#state = 'stopping';
    clearInterval(this.#progressTimer);
    const stopping = performance.now();
    await engine.end();
    const ended = performance.now();
    this.#journal?.append({ event: 'stopped', recordedMs: Math.round(this.#clock.nowMs) });
    const result = await finaliseRecording((this.#params as RecordingParams).outputDir, false, (message) => this.#listener.log(message));
    this.#state = 'stopped';
    this.#listener.log(`stopped: pipelines drained in ${Math.round(ended - stopping)} ms, files made and described in ${Math.round(performance.now() - ended)} ms`);
    return result;
  }

  #fail(error: PipelineError): void {
    if (this.#state === 'failed' || this.#state === 'stopped') return;
    this.#state = 'failed';
    this.#failure = error;
    clearInterval(this.#progressTimer);
    GstPipeline.stopAll();
    this.#listener.failed(error.message);
  }

  #reportProgress(): void {
    if (this.#state !== 'recording' || this.#engine === undefined) return;
    const now = performance.now();
    let counters: MediaCounters;
    try {
      counters = this.#engine.counters();
    } catch (error) {
      this.#listener.log(`progress unavailable: ${(error as Error).message}`);
      return;
    }
    const last = this.#lastSample;
    this.#lastSample = { at: now, counters };
    if (last === undefined) return;
    const seconds = (now - last.at) / 1000;
    this.#listener.progress({
      recordedMs: Math.round(this.#clock.nowMs),
      framesEncoded: counters.framesEncoded,
      fps: round((counters.framesEncoded - last.counters.framesEncoded) / seconds),
      realtimeFactor: round((counters.mediaMs - last.counters.mediaMs) / 1000 / seconds),
    });
  }

  #expectState(operation: string, ...allowed: WorkerRecordingState[]): void {
    if (!allowed.includes(this.#state)) throw new RecordingStateError(operation, this.#state);
  }

  /** The engine, after checking that the state allows the operation. */
  #expect(operation: string, ...allowed: WorkerRecordingState[]): RecordingEngine {
    this.#expectState(operation, ...allowed);
    return this.#engine as RecordingEngine;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
