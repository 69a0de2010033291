/**
 * Entry of the recording worker process, one per recording:
 * `node --import=tsx pipelines/worker/main.ts`, driven by `RecordingProcess` over stdin/stdout
 * (see protocol.ts). Commands run one at a time, in order.
 */
import readline from 'node:readline';
import { WorkerError } from '../errors.ts';
import { GstPipeline } from '../gst/GstPipeline.ts';
import { MIN_WORKER_THREADPOOL_SIZE, PRELOAD_ENCODER_VARIABLE, serializeError, type WorkerMessage, type WorkerRequest } from './protocol.ts';
import { HEVC_ENCODERS } from '../encoders/hevcEncoders.ts';
import { preloadElements } from './preloadElements.ts';
import { WorkerRecording } from './WorkerRecording.ts';

/**
 * Set once stdout fails (EPIPE: the supervisor is gone). Writing on would fail again, and a
 * failure reported from the error handler would fail in turn, for ever.
 */
let supervisorGone = false;
process.stdout.on('error', () => {
  supervisorGone = true;
});

function send(message: WorkerMessage): void {
  if (supervisorGone) return;
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

/** Every pipeline must be stopped first: exit otherwise waits forever on their bus threads. */
async function exit(code: number): Promise<never> {
  GstPipeline.stopAll();
  if (!supervisorGone) await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

if (Number(process.env.UV_THREADPOOL_SIZE ?? 4) < MIN_WORKER_THREADPOOL_SIZE) {
  log(`UV_THREADPOOL_SIZE must be at least ${MIN_WORKER_THREADPOOL_SIZE} (each pipeline holds a thread); RecordingProcess sets it`);
  process.exit(2);
}

const recording = new WorkerRecording({
  progress: (progress) => send({ event: 'progress', progress }),
  failed: (reason) => {
    log(`recording failed: ${reason}`);
    send({ event: 'failed', reason });
    void exit(1);
  },
  keyframeNeeded: (inputId) => send({ event: 'keyframeNeeded', inputId }),
  log,
});

function dispatch(request: WorkerRequest): Promise<unknown> {
  switch (request.method) {
    case 'start':
      return recording.start(request.params, request.inputs ?? []);
    case 'addInput':
      return recording.addInput(request.input);
    case 'removeInput':
      return recording.removeInput(request.inputId);
    case 'setConsent':
      return recording.setConsent(request.participantId, request.consented);
    case 'pause':
      return recording.pause();
    case 'resume':
      return recording.resume();
    case 'stop':
      return recording.stop();
    default:
      throw new WorkerError(`unknown method "${(request as { method: unknown }).method}"`);
  }
}

async function handle(line: string): Promise<void> {
  let request: WorkerRequest;
  try {
    request = JSON.parse(line) as WorkerRequest;
  } catch {
    log(`ignoring a request that is not JSON: ${line.slice(0, 200)}`);
    return;
  }
  try {
    const result = await dispatch(request);
    send({ id: request.id, ok: true, result: result ?? null });
  } catch (error) {
    send({ id: request.id, ok: false, error: serializeError(error) });
  }
  // A stop ends the process whether or not finalising worked; the supervisor recovers otherwise.
  if (request.method === 'stop' && (recording.state === 'stopped' || recording.state === 'stopping')) {
    await exit(recording.state === 'stopped' ? 0 : 1);
  }
}

/** The parent went away or asked us to end: finish the recording so its files are whole. */
async function finishAndExit(why: string): Promise<void> {
  if (recording.state === 'recording' || recording.state === 'paused') {
    log(`${why}: stopping the recording`);
    try {
      await recording.stop();
    } catch (error) {
      log(`stopping failed: ${(error as Error).message}`);
      await exit(1);
    }
  }
  await exit(0);
}

// Anything thrown outside a command (a timer, a bus callback) ends the recording the same way a
// pipeline error does: reported, pipelines stopped, exit; the supervisor recovers the files.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    const reason = `worker error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    log(reason);
    send({ event: 'failed', reason });
    void exit(1);
  });
}

const preloadStarted = performance.now();
const preloadEncoder = process.env[PRELOAD_ENCODER_VARIABLE];
const preloaded = preloadElements(HEVC_ENCODERS.find((encoder) => encoder === preloadEncoder));
log(`${preloaded} GStreamer elements loaded in ${Math.round(performance.now() - preloadStarted)} ms`);

let commands: Promise<void> = Promise.resolve();
const enqueue = (work: () => Promise<void>) => {
  commands = commands.then(work);
};
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => enqueue(() => handle(line)))
  .on('close', () => enqueue(() => finishAndExit('stdin closed')));
process.on('SIGTERM', () => enqueue(() => finishAndExit('SIGTERM')));
process.on('SIGINT', () => enqueue(() => finishAndExit('SIGINT')));
