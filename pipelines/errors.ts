/**
 * Errors the recording engine throws. They cross the worker's process boundary by `name`
 * (see `worker/protocol.ts`), so every class keeps a stable `name` and plain-data fields.
 */

export interface ParamsProblem {
  /** Dotted path of the offending field, e.g. `mode.container`. */
  field: string;
  message: string;
}

/** Recording settings that cannot work; lists every problem, each naming its field. */
export class RecordingParamsError extends Error {
  readonly problems: readonly ParamsProblem[];

  constructor(problems: readonly ParamsProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'RecordingParamsError';
    this.problems = problems;
  }
}

/** A method was called in a state that does not allow it (e.g. pause while paused). */
export class RecordingStateError extends Error {
  readonly operation: string;
  readonly state: string;

  constructor(operation: string, state: string) {
    super(`cannot ${operation} while the recording is ${state}`);
    this.name = 'RecordingStateError';
    this.operation = operation;
    this.state = state;
  }
}

/** An RTP input that is malformed, already present, unknown, or not accepted by the mode. */
export class InputError extends Error {
  readonly inputId: string;

  constructor(inputId: string, message: string) {
    super(`input "${inputId}": ${message}`);
    this.name = 'InputError';
    this.inputId = inputId;
  }
}

/** The requested HEVC encoder does not exist here or failed its test encode. */
export class EncoderUnavailableError extends Error {
  readonly encoder: string;

  constructor(encoder: string, reason: string) {
    super(`encoder "${encoder}" is not available: ${reason}`);
    this.name = 'EncoderUnavailableError';
    this.encoder = encoder;
  }
}

/** GStreamer refused to build a pipeline, or reported an error while running it. */
export class PipelineError extends Error {
  readonly pipeline: string;

  constructor(pipeline: string, message: string) {
    super(`${pipeline} pipeline: ${message}`);
    this.name = 'PipelineError';
    this.pipeline = pipeline;
  }
}

/** The worker process died, broke the protocol, or did not answer in time. */
export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** Joining or describing the recorded files failed. */
export class FinaliseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FinaliseError';
  }
}

/**
 * Joining recorded files into one failed, most often for lack of space: whatever was being joined
 * is kept as it was, so the same join can be tried again once the cause is gone.
 */
export class JoinError extends FinaliseError {
  constructor(message: string) {
    super(message);
    this.name = 'JoinError';
  }
}

/**
 * ffmpeg or ffprobe ran past its time limit and was killed. What it read is untouched and what it
 * wrote is removed by its caller, so, like a join on a full disk, the step is tried again
 * (`retryable`): that helps when the machine or its disk was too busy, not when the input itself
 * never delivers its data.
 */
export class MediaToolTimeoutError extends JoinError {
  readonly tool: string;
  readonly timeoutMs: number;
  readonly retryable = true;

  constructor(tool: string, args: readonly string[], timeoutMs: number) {
    super(`${tool} ${args.at(-1) ?? ''} did not finish within ${timeoutMs / 1000} s and was killed; trying again may help once the machine is less busy`);
    this.name = 'MediaToolTimeoutError';
    this.tool = tool;
    this.timeoutMs = timeoutMs;
  }
}

/** A file to analyse, or the layout log beside it, cannot be read. */
export class FrameAnalysisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameAnalysisError';
  }
}
