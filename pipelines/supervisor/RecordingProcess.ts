import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { HevcEncoder } from '../encoders/hevcEncoders.ts';
import { JoinError, RecordingStateError, WorkerError } from '../errors.ts';
import type { RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import { validateRecordingParams, type RecordingParams } from '../params/RecordingParams.ts';
import type { RecordingResult } from '../sinks/RecordingResult.ts';
import {
  PRELOAD_ENCODER_VARIABLE,
  WORKER_THREADPOOL_SIZE,
  deserializeError,
  type RecordingProgress,
  type RecordingStarted,
  type WorkerCommand,
  type WorkerMessage,
} from '../worker/protocol.ts';
import { recoverRecording } from './recoverRecording.ts';

export type RecordingProcessState = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped' | 'failed';

export interface RecordingProcessEvents {
  progress: [RecordingProgress];
  /** The recording broke off; `stop()` then returns what could be recovered. */
  failed: [{ reason: string }];
  exit: [{ code: number | null; signal: NodeJS.Signals | null }];
  /** Ask mediasoup for a keyframe on this input (`consumer.requestKeyFrame()`). */
  keyframeNeeded: [{ inputId: string }];
  /** A line the worker logged. */
  log: [string];
}

export interface RecordingProcessOptions {
  /** How long `stop()` waits for the worker before killing it and recovering the files. */
  stopTimeoutMs?: number;
  /** How long any other call waits for the worker's answer. */
  requestTimeoutMs?: number;
  /**
   * The HEVC encoder recordings will use (the probe's pick), so the worker preloads that one only:
   * looking for encoders this machine lacks writes an error line per encoder into the log.
   */
  encoder?: HevcEncoder;
}

interface PendingRequest {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const WORKER_ENTRY = fileURLToPath(new URL('../worker/main.ts', import.meta.url));

/**
 * One recording, run in its own worker process so that a GStreamer crash takes down only that
 * recording. Talks to the worker over JSON lines (see worker/protocol.ts). Every method checks
 * the state first and throws `RecordingStateError` when it does not fit.
 *
 * If the worker dies before `stop()` finished, the process emits `failed`, recovers the files
 * on disk (`recoverRecording`) and `stop()` returns that result, marked `interrupted`.
 */
export class RecordingProcess extends EventEmitter<RecordingProcessEvents> {
  readonly #stopTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #encoder: HevcEncoder | undefined;
  readonly #pending = new Map<number, PendingRequest>();
  #state: RecordingProcessState = 'idle';
  #child: ChildProcessWithoutNullStreams | undefined;
  #params: RecordingParams | undefined;
  #nextRequestId = 1;
  #started = false;
  #failureReported = false;
  #recovery: Promise<RecordingResult> | undefined;

  constructor(options: RecordingProcessOptions = {}) {
    super();
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 120_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#encoder = options.encoder;
  }

  get state(): RecordingProcessState {
    return this.#state;
  }

  /** The worker's process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Spawns the worker ahead of `start()`. Loading Node, TypeScript and GStreamer takes most of a
   * second, which would otherwise be missing from the beginning of the recording.
   */
  prepare(): void {
    this.#expect('prepare', 'idle');
    if (!this.#child) this.#spawnWorker();
  }

  /** Whether a prepared worker is alive and waiting for `start()`. */
  get prepared(): boolean {
    return this.#state === 'idle' && this.#child !== undefined;
  }

  /** Ends a prepared worker that will not be started. */
  discard(): void {
    this.#expect('discard', 'idle');
    this.#child?.stdin.end();
  }

  /**
   * Starts recording with the inputs already present; resolves once every pipeline plays, saying
   * when the files' time 0 was and where each input listens.
   */
  async start(params: RecordingParams, inputs: readonly RtpInputSpec[] = []): Promise<RecordingStarted> {
    this.#expect('start', 'idle');
    const valid = validateRecordingParams(params);
    this.#params = valid;
    this.#state = 'starting';
    if (!this.#child) this.#spawnWorker();
    let started: RecordingStarted;
    try {
      started = (await this.#request({ method: 'start', params: valid, inputs: [...inputs] })) as RecordingStarted;
    } catch (error) {
      this.#state = 'failed';
      this.#child?.stdin.end();
      throw error;
    }
    this.#started = true;
    // A failure reported while the start was answered wins.
    if (this.#state === 'starting') this.#state = 'recording';
    return started;
  }

  /** Makes the worker listen for the input; connect a mediasoup PlainTransport to the returned loopback ports. */
  async addInput(input: RtpInputSpec): Promise<RtpPorts> {
    this.#expect('add an input', 'recording', 'paused');
    return (await this.#request({ method: 'addInput', input })) as RtpPorts;
  }

  async removeInput(inputId: string): Promise<void> {
    this.#expect('remove an input', 'recording', 'paused');
    await this.#request({ method: 'removeInput', inputId });
  }

  async setConsent(participantId: string, consented: boolean): Promise<void> {
    this.#expect('set consent', 'recording', 'paused');
    await this.#request({ method: 'setConsent', participantId, consented });
  }

  async pause(): Promise<void> {
    this.#expect('pause', 'recording');
    await this.#request({ method: 'pause' });
    this.#state = 'paused';
  }

  async resume(): Promise<void> {
    this.#expect('resume', 'paused');
    await this.#request({ method: 'resume' });
    this.#state = 'recording';
  }

  /**
   * Ends the recording and returns the finished files. After a failure it returns the recovered
   * files instead; if the worker does not finish within the stop timeout it is killed and the
   * files are recovered.
   */
  async stop(): Promise<RecordingResult> {
    if (this.#state === 'failed' && this.#started) return this.#recovered();
    this.#expect('stop', 'recording', 'paused');
    this.#state = 'stopping';
    try {
      const result = (await this.#request({ method: 'stop' }, this.#stopTimeoutMs)) as RecordingResult;
      this.#state = 'stopped';
      return result;
    } catch (error) {
      this.#state = 'failed';
      // The pipelines drained and the segments are on disk; the worker has nothing left to do.
      if (error instanceof JoinError) this.#child?.kill('SIGKILL');
      if (!(error instanceof WorkerError)) throw error;
      this.#child?.kill('SIGKILL');
      return this.#recovered();
    }
  }

  #spawnWorker(): void {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), WORKER_ENTRY], {
      env: { ...process.env, UV_THREADPOOL_SIZE: String(WORKER_THREADPOOL_SIZE), ...(this.#encoder === undefined ? {} : { [PRELOAD_ENCODER_VARIABLE]: this.#encoder }) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child = child;
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.#onWorkerLine(line));
    readline.createInterface({ input: child.stderr }).on('line', (line) => this.emit('log', line));
    child.stdin.on('error', () => {});
    // 'close' rather than 'exit': it comes after stdout is drained, so the last answers are in.
    child.on('close', (code, signal) => this.#onWorkerClosed(code, signal));
  }

  #onWorkerLine(line: string): void {
    let message: WorkerMessage;
    try {
      message = JSON.parse(line) as WorkerMessage;
    } catch {
      this.emit('log', `worker wrote a line outside the protocol: ${line}`);
      return;
    }
    if ('event' in message) {
      if (message.event === 'progress') this.emit('progress', message.progress);
      else if (message.event === 'keyframeNeeded') this.emit('keyframeNeeded', { inputId: message.inputId });
      else if (message.event === 'failed') this.#reportFailure(message.reason);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(deserializeError(message.error));
  }

  #onWorkerClosed(code: number | null, signal: NodeJS.Signals | null): void {
    const exited = new WorkerError(`the recording worker exited (${signal ?? `code ${code}`})`);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(exited);
    }
    this.#pending.clear();
    this.#child = undefined;
    if (this.#state !== 'stopped' && this.#started) {
      this.#reportFailure(exited.message);
      this.#recovered();
    } else if (this.#state !== 'stopped') {
      this.#state = 'failed';
    }
    this.emit('exit', { code, signal });
  }

  #reportFailure(reason: string): void {
    if (this.#state !== 'stopping') this.#state = 'failed';
    if (this.#failureReported) return;
    this.#failureReported = true;
    this.emit('failed', { reason });
  }

  #recovered(): Promise<RecordingResult> {
    if (this.#recovery === undefined) {
      this.#recovery = recoverRecording((this.#params as RecordingParams).outputDir);
      this.#recovery.catch((error: Error) => this.emit('log', `recovering the recording failed: ${error.message}`));
    }
    return this.#recovery;
  }

  #request(command: WorkerCommand, timeoutMs = this.#requestTimeoutMs): Promise<unknown> {
    const child = this.#child;
    if (child === undefined) return Promise.reject(new WorkerError('the recording worker is not running'));
    const id = this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new WorkerError(`the recording worker did not answer "${command.method}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  }

  #expect(operation: string, ...allowed: RecordingProcessState[]): void {
    if (!allowed.includes(this.#state)) throw new RecordingStateError(operation, this.#state);
  }
}
