/**
 * A supervisor that dies abruptly: prepares a worker, prints its pid, then kills itself with
 * SIGKILL, leaving the worker with a closed stdin and a broken stdout.
 */
import { RecordingProcess } from '../../../pipelines/index.ts';

const worker = new RecordingProcess();
worker.prepare();
process.stdout.write(`${worker.pid}\n`, () => setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1500));
