import { PipelineError } from '../errors.ts';
import { gstreamer, type BusMessage, type NativeElement, type NativePipeline } from './nativeBinding.ts';

export type GstPipelineState = 'created' | 'playing' | 'paused' | 'finishing' | 'stopped';

export interface SinkStats {
  rendered: number;
  dropped: number;
}

/**
 * One GStreamer pipeline built from a launch description, with the binding's loose API made
 * typed and state-checked.
 *
 * Bus polling holds one libuv thread-pool thread per playing pipeline (the binding blocks in
 * `gst_bus_timed_pop`), so the worker raises UV_THREADPOOL_SIZE, and every pipeline must be
 * stopped before the process exits or exit waits on those threads forever: `stopAll()`. A
 * stopped pipeline's thread is released by the state-change messages stopping posts.
 */
export class GstPipeline {
  static readonly #live = new Set<GstPipeline>();

  readonly label: string;
  readonly #native: NativePipeline;
  readonly #elements = new Map<string, NativeElement>();
  readonly #onError: (error: PipelineError) => void;
  #state: GstPipelineState = 'created';
  #drained: ((clean: boolean) => void) | undefined;

  constructor(label: string, description: string, onError: (error: PipelineError) => void) {
    this.label = label;
    this.#onError = onError;
    try {
      this.#native = new gstreamer.Pipeline(description);
    } catch (error) {
      throw new PipelineError(label, `cannot be built: ${(error as Error).message}`);
    }
    // Keep the messages of the final state changes: a bus thread waiting when the pipeline stops
    // needs one to wake up, or it waits forever and process exit waits on it.
    this.#native['auto-flush-bus'] = false;
  }

  /** Pipelines currently playing or finishing in this process. */
  static get liveCount(): number {
    return GstPipeline.#live.size;
  }

  /** Stops every pipeline at once, without finalising files: for process shutdown. */
  static stopAll(): void {
    for (const pipeline of [...GstPipeline.#live]) pipeline.stop();
  }

  get state(): GstPipelineState {
    return this.#state;
  }

  play(): void {
    this.#expectState('play', 'created');
    this.#state = 'playing';
    GstPipeline.#live.add(this);
    this.#native.play();
    // Poll only now: the binding stops polling when a message finds the pipeline in NULL.
    this.#native.pollBus((message) => this.#onBusMessage(message));
  }

  /**
   * Holds a playing pipeline: live sources stop producing, and when it plays again its running
   * time, and so every timestamp it writes, carries on from where it stopped, with no gap.
   */
  pause(): void {
    this.#expectState('pause', 'playing');
    this.#state = 'paused';
    this.#native.pause();
  }

  /** Plays a paused pipeline again. */
  resume(): void {
    this.#expectState('resume', 'paused');
    this.#state = 'playing';
    this.#native.play();
  }

  /**
   * Sends end-of-stream so muxers write their trailers, waits for it to reach the sinks, then
   * stops. Resolves false when the pipeline did not drain within `timeoutMs` (it is stopped
   * anyway) or had already been stopped, e.g. after an error.
   */
  async finish(timeoutMs: number): Promise<boolean> {
    if (this.#state === 'stopped') return false;
    // End-of-stream flows only through a playing pipeline; a paused one plays for the moment it takes.
    if (this.#state === 'paused') this.resume();
    this.#expectState('finish', 'playing');
    this.#state = 'finishing';
    const drained = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#drained = (clean) => {
        clearTimeout(timer);
        resolve(clean);
      };
    });
    this.#native.sendEOS();
    const clean = await drained;
    this.stop();
    return clean;
  }

  /** Stops at once (state NULL); files being written are left as they are. Safe to repeat. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    GstPipeline.#live.delete(this);
    this.#drained?.(false);
    this.#native.stop();
  }

  property(element: string, name: string): unknown {
    return this.#element(element)[name];
  }

  /** Reads a numeric property; 64-bit ones come from the binding as strings. */
  numberProperty(element: string, name: string): number {
    const value = Number(this.property(element, name));
    if (Number.isNaN(value)) throw new PipelineError(this.label, `property ${element}.${name} is not a number`);
    return value;
  }

  setProperty(element: string, name: string, value: string | number | boolean): void {
    this.#element(element)[name] = value;
  }

  /** Switches an input-selector to one of its sink pads. */
  selectPad(element: string, pad: string): void {
    this.#element(element);
    this.#native.setPad(element, 'active-pad', pad);
  }

  /** Rendered/dropped buffer counts of a sink (GstBaseSink `stats`, which arrives as a structure string). */
  sinkStats(element: string): SinkStats {
    const text = String(this.property(element, 'stats'));
    const field = (name: string) => Number(new RegExp(`${name}=\\(guint64\\)(\\d+)`).exec(text)?.[1] ?? 0);
    return { rendered: field('rendered'), dropped: field('dropped') };
  }

  #element(name: string): NativeElement {
    let element = this.#elements.get(name);
    if (element === undefined) {
      element = this.#native.findChild(name);
      if (element === undefined) throw new PipelineError(this.label, `has no element named "${name}"`);
      this.#elements.set(name, element);
    }
    return element;
  }

  #onBusMessage(message: BusMessage): void {
    if (message.type === 'eos') {
      this.#drained?.(true);
    } else if (message.type === 'error') {
      const source = message._src_element_name ?? message.name ?? 'an element';
      const error = new PipelineError(this.label, `${source}: ${message.message ?? 'unknown error'}`);
      if (this.#state === 'playing' || this.#state === 'paused') this.#onError(error);
      else this.#drained?.(false);
    }
  }

  #expectState(operation: string, expected: GstPipelineState): void {
    if (this.#state !== expected) {
      throw new PipelineError(this.label, `cannot ${operation} when ${this.#state} (expected ${expected})`);
    }
  }
}
