import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { RetentionPolicyData } from '../domain/index.ts';
import { retentionCutoff, retentionVerdict } from '../domain/index.ts';
import { AuditEntry, LegalHold, Recording, RecordingExpiry, RecordingFile, RetentionPolicy, User } from '../db/entities/index.ts';
import type { JobQueue } from '../jobs/job-queue.ts';

export const RETENTION_QUEUE = 'retention-sweep';

export interface SweepReport {
  /** Recordings old enough for some policy. */
  examined: number;
  expired: Array<{ recordingId: string; action: RetentionPolicyData['action'] }>;
  /** Due, but under legal hold. */
  held: string[];
}

/**
 * Deletes what the retention policies say has expired, as a scheduled job in the job queue: the
 * schedule lives in the database, so it survives restarts and runs on one process at a time.
 * Each deletion is audited with the policy that caused it; a recording under legal hold is never
 * touched, the hold being checked again under the recording's lock.
 */
export class RetentionSweeper {
  readonly #orm: MikroORM;
  readonly #jobs: JobQueue;
  readonly #clock: () => Date;
  readonly #recordingsDir: string;

  constructor(deps: { orm: MikroORM; jobs: JobQueue; clock: () => Date; recordingsDir: string }) {
    this.#orm = deps.orm;
    this.#jobs = deps.jobs;
    this.#clock = deps.clock;
    this.#recordingsDir = path.resolve(deps.recordingsDir);
  }

  async start(cron: string): Promise<void> {
    await this.#jobs.work(RETENTION_QUEUE, { policy: 'stately' }, async () => {
      const report = await this.sweep();
      if (report.expired.length > 0) console.log(`retention: ${report.expired.length} recording(s) expired, ${report.held.length} held`);
    });
    await this.#jobs.schedule(RETENTION_QUEUE, cron);
  }

  /** Asks for a sweep now, in whichever process works the queue. */
  async requestSweep(): Promise<void> {
    await this.#jobs.send(RETENTION_QUEUE, {});
  }

  async sweep(): Promise<SweepReport> {
    const em = this.#orm.em.fork();
    const now = this.#clock();
    const policies = await em.find(RetentionPolicy, {});
    const cutoff = retentionCutoff(policies, now);
    const report: SweepReport = { examined: 0, expired: [], held: [] };
    if (!cutoff) return report;
    const recordings = await em.find(Recording, { state: { $in: ['ready', 'failed'] }, stoppedAt: { $lte: cutoff } }, { orderBy: { stoppedAt: 'asc' } });
    const ids = recordings.map((r) => r.id);
    const owners = new Map((await em.find(User, { id: { $in: [...new Set(recordings.map((r) => r.startedBy))] } })).map((u) => [u.id, u.serverId]));
    const held = new Set((await em.find(LegalHold, { recordingId: { $in: ids } })).map((h) => h.recordingId));
    const deleted = new Set((await em.find(RecordingExpiry, { recordingId: { $in: ids } })).map((e) => e.recordingId));
    report.examined = recordings.length;
    for (const recording of recordings) {
      const subject = { ...recording, ownerServerId: owners.get(recording.startedBy)!, legalHold: held.has(recording.id), filesDeleted: deleted.has(recording.id) };
      const verdict = retentionVerdict(subject, policies, now);
      if (!verdict.expire) {
        if (verdict.because === 'legal-hold') report.held.push(recording.id);
        continue;
      }
      if (await this.#expire(recording.id, verdict.policy, verdict.dueAt)) report.expired.push({ recordingId: recording.id, action: verdict.policy.action });
      else report.held.push(recording.id);
    }
    return report;
  }

  /** False when a legal hold was placed meanwhile. */
  async #expire(recordingId: string, policy: RetentionPolicyData, dueAt: Date): Promise<boolean> {
    return this.#orm.em.fork().transactional(async (em) => {
      const recording = await em.findOne(Recording, recordingId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!recording || (await em.count(LegalHold, { recordingId })) > 0) return false;
      const files = await em.find(RecordingFile, { recordingId });
      // Files go first: a failure after this point leaves the recording to the next sweep, not a file behind.
      for (const file of files) await this.#remove(file.path);
      // The rest of the recording's folder goes with it: segments kept for a join, its parts' notes.
      await this.#remove(recordingId, { recursive: true });
      const now = this.#clock();
      const bytesFreed = files.reduce((sum, f) => sum + f.sizeBytes, 0);
      em.create(AuditEntry, {
        at: now,
        action: 'recording.expired',
        conferenceId: recording.conferenceId,
        recordingId,
        details: { policyId: policy.id, scope: policy.scope, keepDays: policy.keepDays, action: policy.action, dueAt: dueAt.toISOString(), files: files.map((f) => f.path), bytesFreed },
      });
      if (policy.action === 'delete-recording') {
        await em.nativeDelete(Recording, { id: recordingId });
      } else {
        em.create(RecordingExpiry, { id: crypto.randomUUID(), recordingId, filesDeletedAt: now, policyId: policy.id, keepDays: policy.keepDays, fileCount: files.length, bytesFreed });
      }
      return true;
    });
  }

  async #remove(relative: string, options: { recursive?: boolean } = {}): Promise<void> {
    const absolute = path.resolve(this.#recordingsDir, relative);
    if (!absolute.startsWith(this.#recordingsDir + path.sep)) return;
    await fs.rm(absolute, { force: true, ...options });
    // The recording's own folder goes once empty; a folder still holding something stays.
    const folder = path.dirname(absolute);
    if (folder !== this.#recordingsDir) await fs.rmdir(folder).catch(() => undefined);
  }
}
