import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { trackSegmentDescription } from '../builders/trackSegmentDescription.ts';
import { GstPipeline } from '../gst/GstPipeline.ts';
import type { RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import { UdpPortReservation } from '../inputs/UdpPortReservation.ts';
import { SEGMENTS_DIR } from '../sinks/RecordingJournal.ts';
import type { EngineContext } from './RecordingEngine.ts';

const FINISH_TIMEOUT_MS = 10_000;

interface RunningTrackSegment {
  pipeline: GstPipeline;
  file: string;
  startedAt: number;
}

/**
 * Records one input of a separate-tracks recording: its stream as received, in Matroska
 * segments. A segment pipeline receives and writes; between segments (paused, no consent) the
 * ports stay reserved. Segments of one output are joined into one file at the end; the output
 * changes only when recording stops for another reason than a pause (consent withdrawn), since
 * a joined file cannot hold a gap.
 */
export class TrackRecorder {
  readonly spec: RtpInputSpec;
  readonly ports: RtpPorts;
  readonly #context: EngineContext;
  #reservation: UdpPortReservation | undefined;
  #segment: RunningTrackSegment | undefined;
  #segmentCount = 0;
  #output: string | undefined;

  private constructor(spec: RtpInputSpec, reservation: UdpPortReservation, context: EngineContext) {
    this.spec = spec;
    this.ports = reservation.ports;
    this.#reservation = reservation;
    this.#context = context;
  }

  static async open(spec: RtpInputSpec, context: EngineContext): Promise<TrackRecorder> {
    return new TrackRecorder(spec, await UdpPortReservation.reserveFree(), context);
  }

  get recording(): boolean {
    return this.#segment !== undefined;
  }

  /** Starts a segment; `newOutput` names the output file when none is open. */
  async startSegment(newOutput: () => string): Promise<void> {
    if (this.#segment !== undefined) return;
    const { params, journal, clock } = this.#context;
    if (this.#output === undefined) {
      this.#output = newOutput();
      const { participantId, participantName, kind, codec } = this.spec;
      journal.append({ event: 'output', output: this.#output, kind: 'track', participantId, participantName, medium: kind, codec, startMs: Math.round(clock.nowMs) });
    }
    const extension = this.spec.kind === 'video' ? 'mkv' : 'mka';
    const file = path.join(SEGMENTS_DIR, `track-${this.#segmentCount++}-${this.spec.inputId.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`);
    const description = trackSegmentDescription(this.spec, this.ports, path.join(params.outputDir, file));
    const pipeline = new GstPipeline(`track ${this.spec.inputId}`, description, (error) => {
      this.#context.problem(`track of input ${this.spec.inputId} (${this.spec.participantName}) stopped: ${error.message}`);
      pipeline.stop();
    });
    journal.append({ event: 'segment', output: this.#output, file });
    await this.#reservation?.release();
    this.#reservation = undefined;
    pipeline.play();
    this.#segment = { pipeline, file, startedAt: performance.now() };
    if (this.spec.kind === 'video') this.#context.keyframeNeeded(this.spec.inputId);
  }

  /** Ends the running segment; `closeOutput` makes the next segment start a new file. */
  async endSegment(closeOutput: boolean): Promise<void> {
    const segment = this.#segment;
    if (segment !== undefined) {
      this.#segment = undefined;
      const durationMs = Math.round(performance.now() - segment.startedAt);
      const clean = await segment.pipeline.finish(FINISH_TIMEOUT_MS);
      this.#context.journal.append({ event: 'segment-closed', file: segment.file, durationMs });
      if (!clean) this.#context.problem(`track segment ${segment.file} did not finish cleanly`);
      this.#reservation = await UdpPortReservation.hold(this.ports);
    }
    if (closeOutput) this.#output = undefined;
  }

  async close(): Promise<void> {
    await this.endSegment(true);
    await this.#reservation?.release();
    this.#reservation = undefined;
  }
}
