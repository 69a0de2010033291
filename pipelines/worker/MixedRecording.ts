import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CANVAS_SINK, TILE_HOLD_MS, compositeLayoutDescription, type LayoutParticipant } from '../builders/compositeLayoutDescription.ts';
import { SEGMENT_ELEMENTS, mixedSegmentDescription } from '../builders/mixedSegmentDescription.ts';
import type { HevcEncoder } from '../encoders/hevcEncoders.ts';
import { InputError } from '../errors.ts';
import { GstPipeline } from '../gst/GstPipeline.ts';
import { DecodedInput } from '../inputs/DecodedInput.ts';
import type { RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import { LayoutLog, type LoggedTile } from '../sinks/LayoutLog.ts';
import { OUTPUT_NAMES } from '../sinks/outputNames.ts';
import { SEGMENTS_DIR } from '../sinks/RecordingJournal.ts';
import type { EngineContext, MediaCounters, RecordingEngine } from './RecordingEngine.ts';

/** Audio slots of the first segment; the pool doubles (with a new segment) when inputs outnumber it. */
const INITIAL_AUDIO_SLOTS = 4;
const FINISH_TIMEOUT_MS = 15_000;
const FIRST_FRAME_TIMEOUT_MS = 3_000;
/**
 * How long a new layout runs before it is shown. Its first frames are composited before its live
 * inputs (tiles, labels) have pushed anything, so on a busy machine they come out black: seen as
 * the first 0.1 s of a recording. Until the switch the old layout, or nothing yet, is recorded.
 */
const LAYOUT_SETTLE_MS = 200;
const AUDIO_RATE = 48_000;
const VIDEO_CHECK_INTERVAL_MS = 250;
/** How often a keyframe is asked for again while a camera's input shows no picture. */
const KEYFRAME_RETRY_MS = 1_000;

interface MixedInput {
  receiver: DecodedInput;
  audioSlot: number | undefined;
  /** Decoded frames at the last check, and when that count last grew. */
  framesSeen: number;
  lastFrameAt: number;
  /** When a keyframe was last asked for: asked again while no picture comes. */
  keyframeAskedAt: number;
}

interface RunningSegment {
  pipeline: GstPipeline;
  number: number;
  files: string[];
  /** Recorded time when it started: pauses inside a segment do not count towards its length. */
  startedAtMs: number;
}

interface ShownLayout {
  pipeline: GstPipeline;
  side: 0 | 1;
  /** The tiles it shows, to skip rebuilding an identical layout. */
  tiles: string;
}

/**
 * Composite and audio-only recordings. Three kinds of pipeline, joined by in-process channels:
 *
 * - one `DecodedInput` per input, living as long as the input;
 * - in composite mode, a layout pipeline composing the grid, rebuilt on every change and
 *   alternating between two canvas channels so the encoder switches to a new layout only once it
 *   shows its first frame (no gap, no black frame);
 * - the segment pipeline (mixer and encoders writing Matroska segments), which runs from start
 *   to stop, held while the recording is paused, and only replaced when the audio slot pool must grow.
 */
export class MixedRecording implements RecordingEngine {
  readonly #context: EngineContext;
  readonly #composite: boolean;
  readonly #inputs = new Map<string, MixedInput>();
  #audioSlots = INITIAL_AUDIO_SLOTS;
  #segment: RunningSegment | undefined;
  #segmentCount = 0;
  #layout: ShownLayout | undefined;
  #paused = false;
  #ended = false;
  #finishedCounts = { frames: 0, samples: 0 };
  #videoCheck: NodeJS.Timeout | undefined;
  readonly #layoutLog: LayoutLog;
  #lastLogged = '';
  /** Calls and the camera check both change pipelines; they run one after the other. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(context: EngineContext) {
    this.#context = context;
    this.#composite = context.params.mode.kind === 'composite';
    this.#layoutLog = new LayoutLog(context.params.outputDir);
  }

  begin(inputs: readonly RtpInputSpec[]): Promise<Record<string, RtpPorts>> {
    return this.#exclusive(() => this.#begin(inputs));
  }

  addInput(spec: RtpInputSpec): Promise<RtpPorts> {
    return this.#exclusive(() => this.#addInput(spec));
  }

  removeInput(inputId: string): Promise<void> {
    return this.#exclusive(() => this.#removeInput(inputId));
  }

  consentChanged(): Promise<void> {
    return this.#exclusive(async () => {
      this.#updateGates();
      await this.#relayout();
    });
  }

  /**
   * Holds the segment and layout pipelines rather than ending them: when they play again their
   * timestamps carry on where they stopped, so the files continue without a gap and without the
   * time a new pipeline would take to start.
   */
  pause(): Promise<void> {
    return this.#exclusive(async () => {
      this.#paused = true;
      this.#updateGates();
      this.#segment?.pipeline.pause();
      this.#layout?.pipeline.pause();
      this.#context.clock.hold();
    });
  }

  resume(): Promise<void> {
    return this.#exclusive(async () => {
      this.#paused = false;
      this.#layout?.pipeline.resume();
      if (this.#segment === undefined) {
        await this.#startSegment();
        return;
      }
      this.#segment.pipeline.resume();
      this.#context.clock.run();
      this.#updateGates();
    });
  }

  end(): Promise<void> {
    return this.#exclusive(async () => {
      this.#ended = true;
      clearInterval(this.#videoCheck);
      await this.#endSegment();
      this.#layout?.pipeline.stop();
      this.#layout = undefined;
      for (const { receiver } of this.#inputs.values()) receiver.close();
      this.#inputs.clear();
    });
  }

  /**
   * The layout of everyone present comes first, a placeholder for each camera until its first
   * decoded frame, and the segment starts showing it: the recording's first frame is that layout,
   * never a black canvas while the layout is being built.
   */
  async #begin(inputs: readonly RtpInputSpec[]): Promise<Record<string, RtpPorts>> {
    const { container } = this.#context.params.mode;
    if (this.#composite) {
      this.#context.journal.append({ event: 'output', output: OUTPUT_NAMES.compositeVideo(container), kind: 'video', startMs: 0 });
      this.#context.journal.append({ event: 'output', output: OUTPUT_NAMES.compositeAudio(container), kind: 'audio', startMs: 0 });
    } else {
      this.#context.journal.append({ event: 'output', output: OUTPUT_NAMES.mixedAudio(container), kind: 'audio', startMs: 0 });
    }
    const ports: Record<string, RtpPorts> = {};
    for (const spec of inputs) ports[spec.inputId] = await this.#openInput(spec);
    // The segment pipeline is made while the first layout renders, and plays once it has.
    await this.#startSegment(this.#relayout());
    if (this.#composite) {
      // Cameras start, stall and resume without any call: look at their decoded frames regularly.
      this.#videoCheck = setInterval(() => {
        this.#exclusive(() => this.#relayout()).catch((error: Error) => this.#context.problem(`updating the layout failed: ${error.message}`));
      }, VIDEO_CHECK_INTERVAL_MS);
    }
    return ports;
  }

  async #addInput(spec: RtpInputSpec): Promise<RtpPorts> {
    const slotsBefore = this.#audioSlots;
    const ports = await this.#openInput(spec);
    if (this.#audioSlots !== slotsBefore && this.#segment !== undefined) await this.#replaceSegment();
    await this.#relayout();
    return ports;
  }

  /** Starts receiving an input, growing the audio slot pool when it is full. */
  async #openInput(spec: RtpInputSpec): Promise<RtpPorts> {
    if (this.#inputs.has(spec.inputId)) throw new InputError(spec.inputId, 'is already being recorded');
    if (spec.kind === 'video' && !this.#composite) throw new InputError(spec.inputId, 'an audio-only recording takes audio inputs only');
    let audioSlot: number | undefined;
    if (spec.kind === 'audio') {
      audioSlot = this.#freeAudioSlot();
      if (audioSlot === undefined) {
        audioSlot = this.#audioSlots;
        this.#audioSlots *= 2;
      }
    }
    const channel = audioSlot === undefined ? this.#videoChannel(spec.inputId) : this.#audioSlotChannel(audioSlot);
    const receiver = await DecodedInput.open(spec, channel, this.#gateOpen(spec.participantId), (error) => {
      this.#context.problem(`input ${spec.inputId} of ${spec.participantName} stopped: ${error.message}`);
      receiver.close();
    });
    this.#inputs.set(spec.inputId, { receiver, audioSlot, framesSeen: 0, lastFrameAt: Number.NEGATIVE_INFINITY, keyframeAskedAt: performance.now() });
    if (spec.kind === 'video') this.#context.keyframeNeeded(spec.inputId);
    return receiver.ports;
  }

  async #removeInput(inputId: string): Promise<void> {
    const input = this.#inputs.get(inputId);
    if (input === undefined) throw new InputError(inputId, 'is not being recorded');
    input.receiver.close();
    this.#inputs.delete(inputId);
    await this.#relayout();
  }

  counters(): MediaCounters {
    const running = this.#segment?.pipeline;
    const frames = this.#finishedCounts.frames + (running && this.#composite ? running.sinkStats(SEGMENT_ELEMENTS.frameCounter).rendered : 0);
    const samples = this.#finishedCounts.samples + (running ? running.numberProperty(SEGMENT_ELEMENTS.sampleCounter, 'out') : 0);
    const mediaMs = this.#composite ? (frames * 1000) / this.#context.params.mode.fps : (samples * 1000) / AUDIO_RATE;
    return { framesEncoded: frames, mediaMs };
  }

  /** `ready`: what must be done before the segment plays, e.g. the first layout showing its first frame. */
  async #startSegment(ready?: Promise<void>): Promise<void> {
    const { params, journal, clock } = this.#context;
    const { mode } = params;
    const number = ++this.#segmentCount;
    const ordinal = String(number).padStart(4, '0');
    const audioFile = path.join(SEGMENTS_DIR, `audio-${ordinal}.mka`);
    const videoFile = path.join(SEGMENTS_DIR, `video-${ordinal}.mkv`);
    const audioOutput = this.#composite ? OUTPUT_NAMES.compositeAudio(mode.container) : OUTPUT_NAMES.mixedAudio(mode.container);
    const videoOutput = OUTPUT_NAMES.compositeVideo(mode.container);
    const completeAudioFile = path.join(SEGMENTS_DIR, `complete-${ordinal}-${audioOutput}`);
    const completeVideoFile = path.join(SEGMENTS_DIR, `complete-${ordinal}-${videoOutput}`);
    const absolute = (file: string) => path.join(params.outputDir, file);
    const description = mixedSegmentDescription({
      title: params.title,
      container: mode.container,
      video: this.#composite
        ? {
            width: mode.width,
            height: mode.height,
            fps: mode.fps,
            bitrateKbps: mode.videoBitrateKbps,
            encoder: params.encoder as HevcEncoder,
            canvasChannels: [this.#canvasChannel(0), this.#canvasChannel(1)],
            file: absolute(videoFile),
            completeFile: absolute(completeVideoFile),
          }
        : undefined,
      audio: {
        codec: mode.audioCodec,
        slotChannels: Array.from({ length: this.#audioSlots }, (_, slot) => this.#audioSlotChannel(slot)),
        file: absolute(audioFile),
        completeFile: absolute(completeAudioFile),
      },
    });
    const pipeline = new GstPipeline(`segment ${number}`, description, (error) => this.#context.fail(error));
    const files = this.#composite ? [videoFile, audioFile] : [audioFile];
    await ready;
    if (this.#layout !== undefined) pipeline.selectPad(SEGMENT_ELEMENTS.canvasSelector, `sink_${this.#layout.side}`);
    // Journal before playing: a crash must never leave a segment file the journal does not list.
    if (this.#composite) journal.append({ event: 'segment', output: videoOutput, file: videoFile, completeFile: completeVideoFile });
    journal.append({ event: 'segment', output: audioOutput, file: audioFile, completeFile: completeAudioFile });
    pipeline.play();
    clock.run();
    this.#segment = { pipeline, number, files, startedAtMs: clock.nowMs };
    this.#context.log(`segment ${number} playing`);
    this.#updateGates();
  }

  async #endSegment(): Promise<void> {
    const segment = this.#segment;
    if (segment === undefined) return;
    this.#segment = undefined;
    this.#updateGates();
    const durationMs = Math.round(this.#context.clock.nowMs - segment.startedAtMs);
    this.#context.clock.hold();
    if (this.#composite) this.#finishedCounts.frames += segment.pipeline.sinkStats(SEGMENT_ELEMENTS.frameCounter).rendered;
    this.#finishedCounts.samples += segment.pipeline.numberProperty(SEGMENT_ELEMENTS.sampleCounter, 'out');
    const clean = await segment.pipeline.finish(FINISH_TIMEOUT_MS);
    for (const file of segment.files) this.#context.journal.append({ event: 'segment-closed', file, durationMs, clean });
    if (!clean) this.#context.problem(`segment ${segment.number} did not finish cleanly; its last moments may be missing`);
  }

  /**
   * Replaces the running segment with one that has more audio slots. The old one drains while
   * the new one starts, so the recording misses only the time the new pipeline takes to start.
   */
  async #replaceSegment(): Promise<void> {
    const started = performance.now();
    const ending = this.#endSegment();
    await this.#startSegment();
    this.#context.log(`segment replaced for ${this.#audioSlots} audio slots; switch took ${Math.round(performance.now() - started)} ms`);
    await ending;
  }

  /**
   * Shows the current participants: builds the layout on the canvas channel not in use, waits
   * until it has rendered a frame, switches the segment's selector to it, then drops the old one.
   * Until the switch the old layout keeps running, so the video never freezes or goes black.
   */
  async #relayout(): Promise<void> {
    if (!this.#composite || this.#paused || this.#ended) return;
    const shown = this.#layoutTiles();
    const participants = shown.map(({ name, videoChannel }) => ({ name, videoChannel }));
    const tiles = JSON.stringify(participants);
    if (this.#layout?.tiles === tiles) {
      // A camera attached to a placeholder changes nothing on screen, only what the log says.
      this.#logLayout(shown);
      return;
    }
    const started = performance.now();
    const { mode } = this.#context.params;
    const side = this.#layout === undefined || this.#layout.side === 1 ? 0 : 1;
    const description = compositeLayoutDescription({ width: mode.width, height: mode.height, fps: mode.fps, participants, canvasChannel: this.#canvasChannel(side) });
    const pipeline = new GstPipeline('layout', description, (error) => this.#context.fail(error));
    pipeline.play();
    const deadline = started + FIRST_FRAME_TIMEOUT_MS;
    const settled = Math.max(1, Math.ceil((LAYOUT_SETTLE_MS * mode.fps) / 1000));
    while (pipeline.sinkStats(CANVAS_SINK).rendered < settled && performance.now() < deadline) await sleep(10);
    if (pipeline.sinkStats(CANVAS_SINK).rendered === 0) this.#context.problem(`a layout change took over ${FIRST_FRAME_TIMEOUT_MS} ms to show`);
    // The segment's intervideosrc picks the new channel's frame up on its next tick; a segment
    // not yet playing picks it up as its first.
    if (this.#segment !== undefined) await sleep(Math.ceil(2000 / mode.fps));
    this.#segment?.pipeline.selectPad(SEGMENT_ELEMENTS.canvasSelector, `sink_${side}`);
    this.#layout?.pipeline.stop();
    this.#layout = { pipeline, side, tiles };
    this.#logLayout(shown);
    this.#context.log(`layout with ${participants.length} tile(s) shown after ${Math.round(performance.now() - started)} ms`);
  }

  /**
   * One tile per live camera of a participant who may be recorded; one placeholder for anyone
   * else: no camera, camera off or paused, no keyframe yet, or no consent.
   */
  #layoutTiles(): Array<LayoutParticipant & LoggedTile> {
    const now = performance.now();
    const byParticipant = new Map<string, { name: string; videoChannels: string[]; cameraAttached: boolean }>();
    for (const input of this.#inputs.values()) {
      const { participantId, participantName, kind, inputId } = input.receiver.spec;
      let entry = byParticipant.get(participantId);
      if (entry === undefined) {
        entry = { name: participantName, videoChannels: [], cameraAttached: false };
        byParticipant.set(participantId, entry);
      }
      if (kind !== 'video') continue;
      entry.cameraAttached = true;
      const frames = input.receiver.framesDecoded();
      if (frames > input.framesSeen) {
        input.framesSeen = frames;
        input.lastFrameAt = now;
      }
      const live = now - input.lastFrameAt < TILE_HOLD_MS;
      if (!live && now - input.keyframeAskedAt >= KEYFRAME_RETRY_MS) {
        // A lost keyframe request, or one answered before the receiver listened, would leave a placeholder for good.
        input.keyframeAskedAt = now;
        this.#context.keyframeNeeded(inputId);
      }
      if (live && this.#context.consent.mayRecord(participantId)) entry.videoChannels.push(this.#videoChannel(inputId));
    }
    return [...byParticipant].flatMap(([participantId, { name, videoChannels, cameraAttached }]): Array<LayoutParticipant & LoggedTile> => {
      const tile = { name, participantId, participantName: name, cameraAttached };
      return videoChannels.length === 0
        ? [{ ...tile, videoChannel: undefined, shows: 'placeholder' as const }]
        : videoChannels.map((videoChannel) => ({ ...tile, videoChannel, shows: 'video' as const }));
    });
  }

  #logLayout(shown: ReadonlyArray<LoggedTile>): void {
    const tiles = shown.map(({ participantId, participantName, shows, cameraAttached }) => ({ participantId, participantName, shows, cameraAttached }));
    const logged = JSON.stringify(tiles);
    if (logged === this.#lastLogged) return;
    this.#lastLogged = logged;
    this.#layoutLog.append({ atMs: Math.round(this.#context.clock.nowMs), tiles });
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #gateOpen(participantId: string): boolean {
    return this.#segment !== undefined && !this.#paused && this.#context.consent.mayRecord(participantId);
  }

  #updateGates(): void {
    for (const { receiver } of this.#inputs.values()) receiver.setGate(this.#gateOpen(receiver.spec.participantId));
  }

  #freeAudioSlot(): number | undefined {
    const used = new Set([...this.#inputs.values()].map((input) => input.audioSlot));
    for (let slot = 0; slot < this.#audioSlots; slot++) if (!used.has(slot)) return slot;
    return undefined;
  }

  #videoChannel(inputId: string): string {
    return `${this.#context.params.recordingId}/video/${inputId}`;
  }

  #audioSlotChannel(slot: number): string {
    return `${this.#context.params.recordingId}/audio/${slot}`;
  }

  #canvasChannel(side: 0 | 1): string {
    return `${this.#context.params.recordingId}/canvas/${side}`;
  }
}
