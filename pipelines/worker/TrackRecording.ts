import { InputError } from '../errors.ts';
import type { RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import { OUTPUT_NAMES } from '../sinks/outputNames.ts';
import type { EngineContext, MediaCounters, RecordingEngine } from './RecordingEngine.ts';
import { TrackRecorder } from './TrackRecorder.ts';

/**
 * Separate-tracks recordings: one `TrackRecorder` per input, each writing the stream as received.
 * Nothing is decoded or encoded, so this mode costs little CPU per participant.
 */
export class TrackRecording implements RecordingEngine {
  readonly #context: EngineContext;
  readonly #recorders = new Map<string, TrackRecorder>();
  /** Files opened so far per participant and medium, to number the next one. */
  readonly #outputCounts = new Map<string, number>();
  #paused = false;

  constructor(context: EngineContext) {
    this.#context = context;
  }

  async begin(inputs: readonly RtpInputSpec[]): Promise<Record<string, RtpPorts>> {
    this.#context.clock.run();
    const ports: Record<string, RtpPorts> = {};
    for (const spec of inputs) ports[spec.inputId] = await this.addInput(spec);
    return ports;
  }

  async addInput(spec: RtpInputSpec): Promise<RtpPorts> {
    if (this.#recorders.has(spec.inputId)) throw new InputError(spec.inputId, 'is already being recorded');
    const recorder = await TrackRecorder.open(spec, this.#context);
    this.#recorders.set(spec.inputId, recorder);
    if (this.#mayRecord(recorder)) await this.#start(recorder);
    return recorder.ports;
  }

  async removeInput(inputId: string): Promise<void> {
    const recorder = this.#recorders.get(inputId);
    if (recorder === undefined) throw new InputError(inputId, 'is not being recorded');
    this.#recorders.delete(inputId);
    await recorder.close();
  }

  async consentChanged(participantId: string): Promise<void> {
    for (const recorder of this.#recorders.values()) {
      if (recorder.spec.participantId !== participantId) continue;
      if (this.#mayRecord(recorder)) await this.#start(recorder);
      else await recorder.endSegment(true);
    }
  }

  async pause(): Promise<void> {
    this.#paused = true;
    this.#context.clock.hold();
    await Promise.all([...this.#recorders.values()].map((recorder) => recorder.endSegment(false)));
  }

  async resume(): Promise<void> {
    this.#paused = false;
    this.#context.clock.run();
    for (const recorder of this.#recorders.values()) if (this.#mayRecord(recorder)) await this.#start(recorder);
  }

  async end(): Promise<void> {
    this.#context.clock.hold();
    await Promise.all([...this.#recorders.values()].map((recorder) => recorder.close()));
    this.#recorders.clear();
  }

  counters(): MediaCounters {
    return { framesEncoded: 0, mediaMs: this.#context.clock.nowMs };
  }

  #mayRecord(recorder: TrackRecorder): boolean {
    return !this.#paused && this.#context.consent.mayRecord(recorder.spec.participantId);
  }

  async #start(recorder: TrackRecorder): Promise<void> {
    const { participantId, kind } = recorder.spec;
    await recorder.startSegment(() => {
      const key = `${participantId}\n${kind}`;
      const ordinal = (this.#outputCounts.get(key) ?? 0) + 1;
      this.#outputCounts.set(key, ordinal);
      return OUTPUT_NAMES.track(participantId, kind, ordinal);
    });
  }
}
