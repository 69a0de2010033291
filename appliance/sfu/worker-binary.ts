import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as MediasoupModule from 'mediasoup';
import { WorkerBinaryMissingError } from './errors.ts';

type Mediasoup = typeof MediasoupModule;

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the offline-built worker for the pinned mediasoup version lives: `MEDIASOUP_WORKER_BIN`
 * when the service sets it, else the cache the set-up script builds into (the same path as
 * scripts/mediasoup-worker/worker-path.sh).
 */
function workerBinaryPath(): string {
  const configured = process.env.MEDIASOUP_WORKER_BIN;
  if (configured) return configured;
  const manifest = JSON.parse(fs.readFileSync(path.join(REPOSITORY, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'vks-recording-appliance/mediasoup-worker', manifest.dependencies.mediasoup!, 'mediasoup-worker');
}

let loaded: Promise<Mediasoup> | undefined;

/**
 * mediasoup reads `MEDIASOUP_WORKER_BIN` once, when its module loads, and otherwise looks for a
 * worker inside node_modules that the offline install never builds. So the variable is settled
 * here first and mediasoup is imported only afterwards, dynamically.
 */
export function loadMediasoup(): Promise<Mediasoup> {
  loaded ??= (async () => {
    const binary = workerBinaryPath();
    try {
      fs.accessSync(binary, fs.constants.X_OK);
    } catch {
      throw new WorkerBinaryMissingError(binary);
    }
    process.env.MEDIASOUP_WORKER_BIN = binary;
    const mediasoup = await import('mediasoup');
    // mediasoup logs through `debug`, silent unless DEBUG is set: its warnings and errors (a worker
    // dying, a refused DTLS handshake) belong in the appliance's log.
    mediasoup.setLogEventListeners({
      onwarn: (namespace, log) => console.warn(`${namespace} ${log}`),
      onerror: (namespace, log, error) => console.error(`${namespace} ${log}`, ...(error ? [error] : [])),
    });
    return mediasoup;
  })();
  // A failed attempt (worker not built yet) must not stick: the next start looks again.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
