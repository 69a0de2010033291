import fs from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RECORDING_RATE_WINDOW_DAYS, daysOfRecordingLeft } from '../../appliance/domain/console.ts';
import { AuditEntry, Conference, Recording } from '../../appliance/db/entities/index.ts';
import type { ComponentHealth, HealthRegistry } from '../../appliance/http/health-registry.ts';
import { recordingTitle } from '../resources/recordings.ts';

export interface DashboardData {
  components: Array<{ name: string; ok: boolean; details: Record<string, unknown> }>;
  /** SFU worker processes, as the component running them reports; null while none does. */
  sfuWorkers: { total: number; up: number } | null;
  /** The HEVC encoder a component reports in use; null while none does. */
  encoder: string | null;
  activeConferences: number;
  liveRecordings: number;
  processingRecordings: number;
  disk: { freeBytes: number; totalBytes: number; recordedBytesLastWeek: number; daysLeft: number | null };
  failedRecordings: Array<{ id: string; title: string; startedAt: string; problem: string | null }>;
  failureEntries: Array<{ id: string; at: string; action: string; actorName: string | null; details: Record<string, unknown> }>;
}

const RECENT = 10;
const DAY_MS = 24 * 3600 * 1000;

function reported(components: Record<string, ComponentHealth>, key: string): unknown {
  for (const health of Object.values(components)) {
    if (health.details && key in health.details) return health.details[key];
  }
  return null;
}

/** Workers come as a list of processes each with its state, or as a bare count. */
function workerCounts(workers: unknown): DashboardData['sfuWorkers'] {
  if (Array.isArray(workers)) return { total: workers.length, up: workers.filter((w: { ok?: unknown }) => w?.ok !== false).length };
  if (typeof workers === 'number') return { total: workers, up: workers };
  return null;
}

/** What the dashboard shows, from the appliance's health checks, the database and the disk. */
export async function dashboardData(deps: { orm: MikroORM; health: HealthRegistry; recordingsDir: string }): Promise<DashboardData> {
  const em = deps.orm.em.fork();
  const report = await deps.health.report();
  const activeConferences = await em.count(Conference, { state: 'active' });
  const liveRecordings = await em.count(Recording, { state: { $in: ['recording', 'paused'] } });
  const processingRecordings = await em.count(Recording, { state: 'processing' });
  const since = new Date(Date.now() - RECORDING_RATE_WINDOW_DAYS * DAY_MS);
  const [recorded] = await em.getConnection().execute<Array<{ bytes: string }>>('select coalesce(sum(size_bytes), 0)::text as bytes from recording_files where created_at >= ?', [since]);
  const recordedBytesLastWeek = Number(recorded?.bytes ?? 0);
  const stats = await fs.statfs(deps.recordingsDir);
  const freeBytes = stats.bavail * stats.bsize;
  const failed = await em.find(Recording, { state: 'failed' }, { orderBy: { startedAt: 'desc' }, limit: RECENT });
  const titles = new Map((await em.find(Conference, { id: { $in: failed.map((r) => r.conferenceId) } })).map((c) => [c.id, c.title]));
  const entries = await em.find(AuditEntry, { action: { $like: '%failed%' } }, { orderBy: { at: 'desc' }, limit: RECENT });
  const encoder = reported(report.components, 'encoder');
  return {
    components: Object.entries(report.components).map(([name, health]) => ({ name, ok: health.ok, details: health.details ?? {} })),
    sfuWorkers: workerCounts(reported(report.components, 'workers')),
    encoder: typeof encoder === 'string' ? encoder : null,
    activeConferences,
    liveRecordings,
    processingRecordings,
    disk: { freeBytes, totalBytes: stats.blocks * stats.bsize, recordedBytesLastWeek, daysLeft: daysOfRecordingLeft(freeBytes, recordedBytesLastWeek) },
    failedRecordings: failed.map((r) => ({ id: r.id, title: recordingTitle(titles.get(r.conferenceId), r.number), startedAt: r.startedAt.toISOString(), problem: r.problem })),
    failureEntries: entries.map((e) => ({ id: String(e.id), at: e.at.toISOString(), action: e.action, actorName: e.actorName, details: e.details })),
  };
}
