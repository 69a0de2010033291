import fs from 'node:fs/promises';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RecordingProcess, recoverRecording } from '../../pipelines/index.ts';
import type { RecordingResult, RecordingProgress, RtpCodec } from '../../pipelines/index.ts';
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
  /** Input changes run one after another, in the order the SFU reported them. */
  inputs: Promise<void>;
  detach: () => void;
}

export interface MediaRecordingBackendOptions {
  orm: MikroORM;
  sfu: Sfu;
  bus: EventBus;
  recordingsDir: string;
  /** GStreamer element of the HEVC encoder chosen at start-up. */
  encoder: string;
  /** The pipeline failed while live: end the recording with what it has. */
  onFailure(target: RecordingTarget, reason: string): void;
}

/**
 * Records conferences from the SFU: one GStreamer worker process per recording, fed by an RTP tap
 * per producer. Producers that come and go while recording are added and removed as they do;
 * consents are passed on for modes that record only consenting participants.
 */
export class MediaRecordingBackend implements RecordingBackend {
  readonly name = 'gstreamer';
  readonly encoder: string;
  readonly #options: MediaRecordingBackendOptions;
  readonly #live = new Map<string, LiveRecording>();
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
    const { orm, sfu, bus } = this.#options;
    const em = orm.em.fork();
    const recording = await em.findOneOrFail(Recording, target.recordingId);
    const mode: RecordingModeSettings = recording.mode?.settings ?? DEFAULT_RECORDING_MODES.find((m) => m.isDefault)!.settings;
    const recordingDir = this.#recordingDir(target.recordingId);
    const partDir = path.join(recordingDir, `${PART_PREFIX}${(await this.#parts(recordingDir)).length + 1}`);
    await fs.mkdir(partDir, { recursive: true });

    const process = this.#takeSpare();
    const live: LiveRecording = { target, mode, process, partDir, taps: new Map(), progress: undefined, inputs: Promise.resolve(), detach: () => {} };
    process.on('progress', (progress) => (live.progress = progress));
    process.on('keyframeNeeded', ({ inputId }) => void live.taps.get(inputId)?.requestKeyFrame().catch(() => undefined));
    process.on('failed', ({ reason }) => this.#options.onFailure(target, reason));
    process.on('log', (line) => console.error(`recording ${target.recordingId}: ${line}`));
    await process.start({ recordingId: target.recordingId, outputDir: partDir, title: target.conferenceTitle, mode, encoder: this.encoder });
    this.#live.set(target.recordingId, live);

    if (mode.onlyConsenting) {
      for (const consent of await em.find(Consent, { conferenceId: target.conferenceId })) await process.setConsent(consent.userId, true);
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
    for (const producer of sfu.producersOf(target.conferenceId)) this.#change(live, () => this.#attach(live, producer));
    await live.inputs;
  }

  async pause(recordingId: string): Promise<void> {
    await this.#live.get(recordingId)?.process.pause();
  }

  async resume(recordingId: string): Promise<void> {
    await this.#live.get(recordingId)?.process.resume();
  }

  /**
   * Stops the pipeline and joins what every part wrote. Parts whose process is gone (the
   * appliance was killed) are recovered from their segments.
   */
  async finish(target: RecordingTarget): Promise<FinishedRecording> {
    const live = this.#live.get(target.recordingId);
    const results: RecordingResult[] = [];
    let current: string | undefined;
    if (live) {
      this.#live.delete(target.recordingId);
      live.detach();
      await live.inputs;
      for (const tap of live.taps.values()) tap.close();
      results.push(await live.process.stop());
      current = live.partDir;
    }
    const recordingDir = this.#recordingDir(target.recordingId);
    for (const part of await this.#parts(recordingDir)) {
      if (part === current) continue;
      try {
        results.push(await recoverRecording(part));
      } catch (error) {
        console.error(`recording ${target.recordingId}: nothing to recover in ${part}:`, error);
      }
    }
    const files: FinishedFile[] = results.flatMap((result) =>
      result.files.map((file) => ({
        kind: file.kind,
        path: path.relative(this.#options.recordingsDir, file.path),
        participantName: file.participantName ?? null,
        medium: file.medium ?? null,
        sizeBytes: file.sizeBytes,
        durationMs: Math.round(file.durationMs),
        codecs: file.codecs,
        sha256: file.sha256,
      })),
    );
    const interrupted = results.filter((r) => r.interrupted).length;
    const problem =
      results.length > 1
        ? `Запись прерывалась (перезапуск сервера или сбой): она состоит из ${results.length} частей.`
        : interrupted > 0
          ? 'Запись прервалась; сохранено всё, что было записано до сбоя.'
          : null;
    return { files, problem };
  }

  /** Stops every pipeline without finishing (the appliance is shutting down; a restart continues them). */
  async close(): Promise<void> {
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
    const spare = this.#spare?.prepared ? this.#spare : new RecordingProcess();
    this.#spare = undefined;
    this.#prepareSpare();
    return spare;
  }

  #prepareSpare(): void {
    const spare = new RecordingProcess();
    spare.prepare();
    this.#spare = spare;
  }

  #change(live: LiveRecording, work: () => Promise<void>): void {
    live.inputs = live.inputs.then(work).catch((error) => console.error(`recording ${live.target.recordingId}: input change failed:`, error));
  }

  async #attach(live: LiveRecording, producer: RoomProducer): Promise<void> {
    if (!this.#live.has(live.target.recordingId) || live.taps.has(producer.producerId)) return;
    // An audio-only recording has no use for cameras: no tap, no traffic.
    if (live.mode.kind === 'audio-only' && producer.kind === 'video') return;
    const tap = await this.#options.sfu.tapProducer(producer.conferenceId, producer.producerId);
    try {
      const codec = CODECS[tap.stream.codec.toLowerCase()];
      if (!codec) throw new Error(`the recorder cannot take ${tap.stream.codec}`);
      const participant = await this.#options.orm.em.fork().findOne(Participant, { conferenceId: producer.conferenceId, userId: producer.userId });
      const ports = await live.process.addInput({
        inputId: producer.producerId,
        participantId: producer.userId,
        participantName: participant?.name ?? producer.userId,
        kind: producer.kind,
        codec,
        payloadType: tap.stream.payloadType,
        clockRate: tap.stream.clockRate,
        ssrc: tap.stream.ssrc,
      });
      await tap.connect(ports);
      await tap.start();
      live.taps.set(producer.producerId, tap);
      tap.on('closed', () => {
        if (live.taps.get(producer.producerId) === tap) this.#change(live, () => this.#detach(live, producer.producerId));
      });
    } catch (error) {
      tap.close();
      throw error;
    }
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
