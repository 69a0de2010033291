import fs from 'node:fs/promises';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { JoinError, RecordingProcess, WorkerError, interruptionsOf, joinRecordingParts, recoverRecording } from '../../pipelines/index.ts';
import type { HevcEncoder, RecordingResult, RecordingProgress, RecordingStarted, RtpCodec, RtpInputSpec, RtpPorts } from '../../pipelines/index.ts';
import { DEFAULT_RECORDING_MODES } from '../domain/index.ts';
import type { RecordingModeSettings } from '../domain/index.ts';
import { Consent, Participant, Recording } from '../db/entities/index.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Sfu } from '../sfu/sfu.ts';
import type { RoomProducer } from '../sfu/sfu-events.ts';
import type { RtpTap } from '../sfu/rtp-tap.ts';
import type { PipelineProgress } from '../metrics/appliance-metrics.ts';
import type { FinishedFile, FinishedRecording, RecordingBackend, RecordingTarget } from './recording-backend.ts';

const CODECS: Record<string, RtpCodec> = { 'video/vp8': 'VP8', 'video/h264': 'H264', 'audio/opus': 'opus' };

/** One part of a recording: what one pipeline process wrote. A restart of the appliance starts a new part. */
const PART_PREFIX = 'part-';

interface LiveRecording {
  target: RecordingTarget;
  mode: RecordingModeSettings;
  process: RecordingProcess;
  partDir: string;
  taps: Map<string, RtpTap>;
  progress: RecordingProgress | undefined;
  paused: boolean;
  /** When this recording's pipeline failed before, for the restart limit. */
  failures: number[];
  /** Input changes run one after another, in the order the SFU reported them. */
  inputs: Promise<void>;
  detach: () => void;
}

interface OpenedTap {
  tap: RtpTap;
  input: RtpInputSpec;
}

/** How often a failing pipeline is restarted in a new part before the recording is ended. */
export interface RestartLimit {
  count: number;
  windowMs: number;
}

export interface MediaRecordingBackendOptions {
  orm: MikroORM;
  sfu: Sfu;
  bus: EventBus;
  recordingsDir: string;
  /** GStreamer element of the HEVC encoder chosen at start-up. */
  encoder: HevcEncoder;
  /** A new recording's pipeline began writing at `at`, a moment after the start command. */
  onStarted(target: RecordingTarget, at: Date): void;
  /** The pipeline failed and was restarted in a new part: the recording goes on. */
  onRestart(target: RecordingTarget, reason: string): void;
  /** The pipeline failed once too often (or could not be restarted): end the recording with what it has. */
  onFailure(target: RecordingTarget, reason: string): void;
  restartLimit?: RestartLimit;
}

const DEFAULT_RESTART_LIMIT: RestartLimit = { count: 3, windowMs: 5 * 60_000 };

/**
 * Records conferences from the SFU: one GStreamer worker process per recording, fed by an RTP tap
 * per producer. Producers that come and go while recording are added and removed as they do;
 * consents are passed on for modes that record only consenting participants.
 */
export class MediaRecordingBackend implements RecordingBackend {
  readonly name = 'gstreamer';
  readonly encoder: HevcEncoder;
  readonly #options: MediaRecordingBackendOptions;
  readonly #live = new Map<string, LiveRecording>();
  /** Restarts under way, which pause, resume and finish wait for. */
  readonly #restarting = new Map<string, Promise<void>>();
  /** Parts whose pipeline failed: their recovery, started when the failure was noticed. */
  readonly #recoveredParts = new Map<string, Promise<RecordingResult>>();
  /** A worker spawned in advance, so a recording starts without waiting for one to load. */
  #spare: RecordingProcess | undefined;

  constructor(options: MediaRecordingBackendOptions) {
    this.#options = options;
    this.encoder = options.encoder;
    this.#prepareSpare();
  }

  /** The running pipelines' latest figures, for metrics. */
  progress(): PipelineProgress[] {
    return [...this.#live.values()].flatMap((live) =>
      live.progress ? [{ recordingId: live.target.recordingId, encoder: this.encoder, fps: live.progress.fps, realtimeFactor: live.progress.realtimeFactor }] : [],
    );
  }

  /** Starts the recording's pipeline; after a restart of the appliance, continues it in a new part. */
  async start(target: RecordingTarget): Promise<void> {
    if (this.#live.has(target.recordingId)) return;
    const recording = await this.#options.orm.em.fork().findOneOrFail(Recording, target.recordingId);
    const mode: RecordingModeSettings = recording.mode?.settings ?? DEFAULT_RECORDING_MODES.find((m) => m.isDefault)!.settings;
    await this.#startPart(target, mode, { paused: false, failures: [] });
  }

  /**
   * One pipeline process writing a new part directory, fed by a tap per producer of the
   * conference: at the start, after a restart of the appliance, and after a pipeline failure.
   */
  async #startPart(target: RecordingTarget, mode: RecordingModeSettings, history: Pick<LiveRecording, 'paused' | 'failures'>): Promise<void> {
    const { orm, sfu, bus } = this.#options;
    const recordingDir = this.#recordingDir(target.recordingId);
    const partNumber = (await this.#parts(recordingDir)).length + 1;
    const partDir = path.join(recordingDir, `${PART_PREFIX}${partNumber}`);
    await fs.mkdir(partDir, { recursive: true });

    const live: LiveRecording = { target, mode, process: this.#takeSpare(), partDir, taps: new Map(), progress: undefined, ...history, inputs: Promise.resolve(), detach: () => {} };
    const listen = (worker: RecordingProcess) => {
      worker.on('progress', (progress) => (live.progress = progress));
      worker.on('keyframeNeeded', ({ inputId }) => void live.taps.get(inputId)?.requestKeyFrame().catch(() => undefined));
      worker.on('failed', ({ reason }) => this.#onPipelineFailed(live, reason));
      worker.on('log', (line) => console.error(`recording ${target.recordingId}: ${line}`));
    };
    const params = { recordingId: target.recordingId, outputDir: partDir, title: target.conferenceTitle, mode, encoder: this.encoder };
    listen(live.process);
    // Everyone already in the media starts with the recording, so its first layout shows them all.
    const present: OpenedTap[] = [];
    let started: RecordingStarted;
    try {
      const opening = sfu.producersOf(target.conferenceId).map((producer) =>
        this.#openTap(mode, producer).catch((error: Error) => void console.error(`recording ${target.recordingId}: no tap for ${producer.producerId}:`, error)),
      );
      for (const opened of await Promise.all(opening)) if (opened) present.push(opened);
      const inputs = present.map((opened) => opened.input);
      try {
        started = await live.process.start(params, inputs);
      } catch (error) {
        // The spare can be dead without its exit seen yet, e.g. killed together with the worker it
        // replaces: a worker of its own then gets the one more try a restart deserves.
        if (!(error instanceof WorkerError)) throw error;
        console.error(`recording ${target.recordingId}: the waiting worker could not start (${error.message}); starting a new one`);
        live.process.removeAllListeners();
        live.process = this.#newProcess();
        listen(live.process);
        started = await live.process.start(params, inputs);
      }
    } catch (error) {
      for (const { tap } of present) tap.close();
      throw error;
    }
    const process = live.process;
    // Later parts continue a recording whose timer has long been running.
    if (partNumber === 1) this.#options.onStarted(target, new Date(started.startedAt));
    if (live.paused) await process.pause();
    this.#live.set(target.recordingId, live);

    if (mode.onlyConsenting) {
      for (const consent of await orm.em.fork().find(Consent, { conferenceId: target.conferenceId })) await process.setConsent(consent.userId, true);
    }
    const mine = (producer: { conferenceId: string }) => producer.conferenceId === target.conferenceId;
    const onAdded = (producer: RoomProducer) => mine(producer) && this.#change(live, () => this.#attach(live, producer));
    const onRemoved = (producer: RoomProducer) => mine(producer) && this.#change(live, () => this.#detach(live, producer.producerId));
    sfu.on('producerAdded', onAdded);
    sfu.on('producerRemoved', onRemoved);
    const unsubscribe = bus.subscribe((event) => {
      if (event.type === 'consent.given' && event.conferenceId === target.conferenceId && mode.onlyConsenting) {
        this.#change(live, () => process.setConsent(event.userId, true));
      }
    });
    live.detach = () => {
      sfu.off('producerAdded', onAdded);
      sfu.off('producerRemoved', onRemoved);
      unsubscribe();
    };
    for (const opened of present) this.#change(live, () => this.#connectTap(live, opened, started.ports[opened.input.inputId] as RtpPorts));
    for (const producer of sfu.producersOf(target.conferenceId)) this.#change(live, () => this.#attach(live, producer));
    await live.inputs;
  }

  /**
   * A pipeline process died or reported a failure: what it wrote is recovered as its part, and
   * the recording goes on in a new part, so a crash costs the seconds the restart takes rather
   * than the rest of the meeting. A pipeline failing again and again ends the recording.
   */
  #onPipelineFailed(live: LiveRecording, reason: string): void {
    const { recordingId } = live.target;
    if (this.#live.get(recordingId) !== live) return;
    this.#live.delete(recordingId);
    live.detach();
    for (const tap of live.taps.values()) tap.close();
    const recovery = live.process.stop();
    // Awaited when the recording finishes, which reports a failed recovery; until then it must not
    // count as an unhandled rejection.
    recovery.catch(() => undefined);
    this.#recoveredParts.set(live.partDir, recovery);
    const limit = this.#options.restartLimit ?? DEFAULT_RESTART_LIMIT;
    const now = Date.now();
    const failures = [...live.failures.filter((at) => now - at < limit.windowMs), now];
    if (failures.length > limit.count) {
      this.#options.onFailure(live.target, `${reason} (${failures.length} failures within ${Math.round(limit.windowMs / 60_000)} min)`);
      return;
    }
    const restart = this.#startPart(live.target, live.mode, { paused: live.paused, failures })
      .then(() => this.#options.onRestart(live.target, reason))
      .catch((error: Error) => {
        this.#live.delete(recordingId);
        this.#options.onFailure(live.target, `${reason}; restarting the pipeline failed: ${error.message}`);
      })
      .finally(() => this.#restarting.delete(recordingId));
    this.#restarting.set(recordingId, restart);
  }

  /** The live recording once any restart under way has finished. */
  async #settled(recordingId: string): Promise<LiveRecording | undefined> {
    await this.#restarting.get(recordingId);
    return this.#live.get(recordingId);
  }

  async pause(recordingId: string): Promise<void> {
    const live = await this.#settled(recordingId);
    if (!live) return;
    live.paused = true;
    await live.process.pause();
  }

  async resume(recordingId: string): Promise<void> {
    const live = await this.#settled(recordingId);
    if (!live) return;
    live.paused = false;
    await live.process.resume();
  }

  /**
   * Stops the pipeline and makes the recording's files. Parts whose process is gone (the
   * appliance was killed) are recovered from their segments; a recording in several parts is
   * joined into one file per medium. A recording in one part keeps its files as they are, so the
   * links of an uninterrupted recording wait for nothing but the pipeline's stop. Throws
   * `JoinError` when files could not be made (no space left): everything is kept for a retry.
   */
  async finish(target: RecordingTarget): Promise<FinishedRecording> {
    const live = await this.#settled(target.recordingId);
    let stopped: { partDir: string; result: RecordingResult } | undefined;
    if (live) {
      this.#live.delete(target.recordingId);
      live.detach();
      await live.inputs;
      for (const tap of live.taps.values()) tap.close();
      stopped = { partDir: live.partDir, result: await live.process.stop() };
    }
    const recordingDir = this.#recordingDir(target.recordingId);
    const parts: RecordingResult[] = [];
    for (const part of await this.#parts(recordingDir)) {
      if (part === stopped?.partDir) {
        parts.push(stopped.result);
        continue;
      }
      try {
        parts.push(await (this.#recoveredParts.get(part) ?? recoverRecording(part)));
        this.#recoveredParts.delete(part);
      } catch (error) {
        // A part whose files could not be made yet is kept for the next try, never left out.
        if (error instanceof JoinError) throw error;
        console.error(`recording ${target.recordingId}: nothing to recover in ${part}:`, error);
      }
    }
    const log = (message: string) => console.log(`recording ${target.recordingId}: ${message}`);
    const recording = parts.length > 1 ? await joinRecordingParts(recordingDir, parts, target.conferenceTitle, log) : parts[0];
    if (recording === undefined) return { files: [], problem: null, interruptions: 0 };
    const files: FinishedFile[] = recording.files.map((file) => ({
      kind: file.kind,
      path: path.relative(this.#options.recordingsDir, file.path),
      participantName: file.participantName ?? null,
      medium: file.medium ?? null,
      sizeBytes: file.sizeBytes,
      durationMs: Math.round(file.durationMs),
      codecs: file.codecs,
    }));
    return { files, problem: null, recordedMs: recording.recordedMs, interruptions: interruptionsOf(parts) };
  }

  /** Stops every pipeline without finishing (the appliance is shutting down; a restart continues them). */
  async close(): Promise<void> {
    await Promise.allSettled(this.#restarting.values());
    if (this.#spare?.prepared) this.#spare.discard();
    this.#spare = undefined;
    for (const live of this.#live.values()) {
      live.detach();
      for (const tap of live.taps.values()) tap.close();
    }
    await Promise.allSettled([...this.#live.values()].map((live) => live.process.stop()));
    this.#live.clear();
  }

  #takeSpare(): RecordingProcess {
    const spare = this.#spare?.prepared ? this.#spare : this.#newProcess();
    this.#spare = undefined;
    this.#prepareSpare();
    return spare;
  }

  #newProcess(): RecordingProcess {
    return new RecordingProcess({ encoder: this.encoder });
  }

  #prepareSpare(): void {
    const spare = this.#newProcess();
    spare.prepare();
    this.#spare = spare;
  }

  #change(live: LiveRecording, work: () => Promise<void>): void {
    live.inputs = live.inputs.then(work).catch((error) => console.error(`recording ${live.target.recordingId}: input change failed:`, error));
  }

  async #attach(live: LiveRecording, producer: RoomProducer): Promise<void> {
    if (!this.#live.has(live.target.recordingId) || live.taps.has(producer.producerId)) return;
    const opened = await this.#openTap(live.mode, producer);
    if (!opened) return;
    let ports: RtpPorts;
    try {
      ports = await live.process.addInput(opened.input);
    } catch (error) {
      opened.tap.close();
      throw error;
    }
    await this.#connectTap(live, opened, ports);
  }

  /** A tap on the producer and the input the worker needs to receive it; none for a camera in an audio-only recording. */
  async #openTap(mode: RecordingModeSettings, producer: RoomProducer): Promise<OpenedTap | undefined> {
    // An audio-only recording has no use for cameras: no tap, no traffic.
    if (mode.kind === 'audio-only' && producer.kind === 'video') return undefined;
    const tap = await this.#options.sfu.tapProducer(producer.conferenceId, producer.producerId);
    try {
      const codec = CODECS[tap.stream.codec.toLowerCase()];
      if (!codec) throw new Error(`the recorder cannot take ${tap.stream.codec}`);
      const participant = await this.#options.orm.em.fork().findOne(Participant, { conferenceId: producer.conferenceId, userId: producer.userId });
      const input: RtpInputSpec = {
        inputId: producer.producerId,
        participantId: producer.userId,
        participantName: participant?.name ?? producer.userId,
        kind: producer.kind,
        codec,
        payloadType: tap.stream.payloadType,
        clockRate: tap.stream.clockRate,
        ssrc: tap.stream.ssrc,
      };
      return { tap, input };
    } catch (error) {
      tap.close();
      throw error;
    }
  }

  /** Sends the tap's RTP to the worker's ports, once the worker listens on them. */
  async #connectTap(live: LiveRecording, { tap, input }: OpenedTap, ports: RtpPorts): Promise<void> {
    // The pipeline may have failed, or the recording finished, while the tap waited its turn.
    if (this.#live.get(live.target.recordingId) !== live) {
      tap.close();
      return;
    }
    try {
      await tap.connect(ports);
      await tap.start();
    } catch (error) {
      // Its producer went (a participant leaving as the recording starts): the worker stops listening too.
      tap.close();
      if (live.process.state === 'recording' || live.process.state === 'paused') await live.process.removeInput(input.inputId);
      throw error;
    }
    live.taps.set(input.inputId, tap);
    tap.on('closed', () => {
      if (live.taps.get(input.inputId) === tap) this.#change(live, () => this.#detach(live, input.inputId));
    });
  }

  async #detach(live: LiveRecording, producerId: string): Promise<void> {
    const tap = live.taps.get(producerId);
    if (!tap) return;
    live.taps.delete(producerId);
    tap.close();
    if (live.process.state === 'recording' || live.process.state === 'paused') await live.process.removeInput(producerId);
  }

  #recordingDir(recordingId: string): string {
    return path.join(this.#options.recordingsDir, recordingId);
  }

  async #parts(recordingDir: string): Promise<string[]> {
    const entries = await fs.readdir(recordingDir).catch(() => [] as string[]);
    return entries
      .filter((name) => name.startsWith(PART_PREFIX))
      .sort((a, b) => Number(a.slice(PART_PREFIX.length)) - Number(b.slice(PART_PREFIX.length)))
      .map((name) => path.join(recordingDir, name));
  }
}
