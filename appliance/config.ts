import path from 'node:path';
import { DEFAULT_USAGE_LIMITS } from './domain/usage-limits.ts';
import type { UsageLimits } from './domain/usage-limits.ts';

/**
 * The appliance's configuration, read once from the environment. Every setting has an embedded
 * default so that `npm start` runs with nothing configured.
 */
export interface ApplianceConfig {
  /** HTTP port for the API, WebSocket, web client and console. */
  port: number;
  host: string;
  /** Base URL people reach the appliance at; download links are built from it. */
  publicUrl: string;
  /** PostgreSQL connection string; unset means the embedded database in `dataDir`. */
  databaseUrl: string | undefined;
  /** PostgreSQL cancels any one statement of the appliance's connections that runs longer, so a stuck query cannot hold a connection and its locks for ever. */
  databaseStatementTimeoutSeconds: number;
  dataDir: string;
  recordingsDir: string;
  /** Demo servers and the development sign-in; on by default only with the embedded database. */
  demo: boolean;
  rtc: {
    listenIp: string;
    /** Address browsers are told to send media to (the appliance's LAN address). */
    announcedIp: string | undefined;
    minPort: number;
    maxPort: number;
    /** mediasoup workers; one per CPU core unless set. */
    workers: number | undefined;
  };
  /** `auto` probes the hardware encoders and falls back to x265enc. */
  encoder: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  downloads: {
    linkTtlHours: number;
    /** HMAC key of the links; unset means a key generated once and kept in `dataDir`. Set it when several appliances share the database. */
    linkSecret: string | undefined;
  };
  /** Free space of the recordings folder: no recording starts below `minFreeMb`; live ones stop below `stopFreeMb`. */
  disk: { minFreeMb: number; stopFreeMb: number; checkSeconds: number };
  /** When the retention job runs: a cron expression in UTC. */
  retentionCron: string;
  /**
   * A participant with no live connection to a conference for `graceSeconds` leaves it; the
   * WebSocket is pinged every `heartbeatSeconds` and dropped when a ping goes unanswered until the next.
   */
  presence: { graceSeconds: number; heartbeatSeconds: number };
  /** Webhook calls and BotX messages: the first retry waits `retryDelaySeconds`, each next one twice as long. */
  delivery: { retryDelaySeconds: number; retryLimit: number };
  /** How long a clean shutdown may take in all; below systemd's TimeoutStopSec, which kills what is left. */
  shutdownSeconds: number;
  limits: UsageLimits;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`configuration ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApplianceConfig {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const databaseUrl = env.DATABASE_URL || undefined;
  const minPort = integer(env, 'RTC_MIN_PORT', 40000, 1024, 65535);
  const maxPort = integer(env, 'RTC_MAX_PORT', 40999, 1024, 65535);
  if (maxPort < minPort) throw new ConfigError('RTC_MAX_PORT', `must not be below RTC_MIN_PORT (${minPort})`);
  const logLevel = (env.LOG_LEVEL || 'info') as ApplianceConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected debug, info, warn or error, got "${logLevel}"`);
  }
  const minFreeMb = integer(env, 'RECORDINGS_MIN_FREE_MB', 2048, 0, 1 << 30);
  const stopFreeMb = integer(env, 'RECORDINGS_STOP_FREE_MB', 256, 0, 1 << 30);
  if (stopFreeMb > minFreeMb) throw new ConfigError('RECORDINGS_STOP_FREE_MB', `must not be above RECORDINGS_MIN_FREE_MB (${minFreeMb})`);
  const retentionCron = env.RETENTION_CRON || '17 * * * *';
  if (retentionCron.trim().split(/\s+/).length !== 5) throw new ConfigError('RETENTION_CRON', `expected a cron expression of five fields, got "${retentionCron}"`);
  return {
    port,
    host,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl,
    databaseStatementTimeoutSeconds: integer(env, 'DATABASE_STATEMENT_TIMEOUT_SECONDS', 30, 1, 3600),
    dataDir,
    recordingsDir: path.resolve(env.RECORDINGS_DIR || path.join(dataDir, 'recordings')),
    demo: flag(env, 'DEMO', databaseUrl === undefined),
    rtc: {
      listenIp: env.RTC_LISTEN_IP || '0.0.0.0',
      announcedIp: env.RTC_ANNOUNCED_IP || undefined,
      minPort,
      maxPort,
      workers: env.RTC_WORKERS ? integer(env, 'RTC_WORKERS', 1, 1, 256) : undefined,
    },
    encoder: env.ENCODER || 'auto',
    logLevel,
    downloads: {
      linkTtlHours: integer(env, 'DOWNLOAD_LINK_TTL_HOURS', 7 * 24, 1, 24 * 366),
      linkSecret: env.DOWNLOAD_LINK_SECRET || undefined,
    },
    disk: { minFreeMb, stopFreeMb, checkSeconds: integer(env, 'DISK_CHECK_SECONDS', 10, 1, 3600) },
    retentionCron,
    presence: {
      graceSeconds: integer(env, 'PRESENCE_GRACE_SECONDS', 30, 1, 3600),
      heartbeatSeconds: integer(env, 'PRESENCE_HEARTBEAT_SECONDS', 10, 1, 600),
    },
    delivery: {
      retryDelaySeconds: integer(env, 'DELIVERY_RETRY_DELAY_SECONDS', 10, 1, 3600),
      retryLimit: integer(env, 'DELIVERY_RETRY_LIMIT', 8, 0, 20),
    },
    shutdownSeconds: integer(env, 'SHUTDOWN_TIMEOUT_SECONDS', 45, 1, 3600),
    limits: {
      openConferencesPerUser: integer(env, 'LIMIT_OPEN_CONFERENCES_PER_USER', DEFAULT_USAGE_LIMITS.openConferencesPerUser, 1, 1000),
      // Fewer than a send and a receive transport would leave no way to take part.
      transportsPerParticipant: integer(env, 'LIMIT_TRANSPORTS_PER_PARTICIPANT', DEFAULT_USAGE_LIMITS.transportsPerParticipant, 2, 64),
      consumersPerParticipant: integer(env, 'LIMIT_CONSUMERS_PER_PARTICIPANT', DEFAULT_USAGE_LIMITS.consumersPerParticipant, 1, 10_000),
    },
  };
}
