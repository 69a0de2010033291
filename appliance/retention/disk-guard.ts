import fs from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { diskTooFullToRecord } from '../domain/index.ts';
import { Recording } from '../db/entities/index.ts';
import type { ConferenceService, RecordingsDiskSpace } from '../conferences/conference-service.ts';

/** Free bytes of the file system holding `dir`; replaced in tests. */
export type DiskSpaceProbe = (dir: string) => Promise<number>;

export const statfsProbe: DiskSpaceProbe = async (dir) => {
  const stats = await fs.statfs(dir);
  // bavail, not bfree: what an unprivileged process may still write.
  return stats.bavail * stats.bsize;
};

/**
 * Watches the free space while recordings are live and stops them, keeping what they recorded,
 * before a full disk can leave their files unfinished.
 */
export class DiskGuard {
  readonly #orm: MikroORM;
  readonly #conferences: ConferenceService;
  readonly #disk: RecordingsDiskSpace;
  #interval: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(deps: { orm: MikroORM; conferences: ConferenceService; disk: RecordingsDiskSpace }) {
    this.#orm = deps.orm;
    this.#conferences = deps.conferences;
    this.#disk = deps.disk;
  }

  start(periodMs: number): void {
    this.#interval = setInterval(() => void this.check().catch((error) => console.error('disk check failed:', error)), periodMs);
  }

  stop(): void {
    clearInterval(this.#interval);
    this.#interval = undefined;
  }

  /** Returns the conferences whose recording it stopped. */
  async check(): Promise<string[]> {
    if (this.#busy) return [];
    this.#busy = true;
    try {
      const live = await this.#orm.em.fork().find(Recording, { state: { $in: ['recording', 'paused'] } });
      if (live.length === 0) return [];
      const free = await this.#disk.freeBytes();
      if (!diskTooFullToRecord(free, this.#disk.floors)) return [];
      const stopped: string[] = [];
      for (const recording of live) {
        await this.#conferences.stopForFullDisk(recording.conferenceId, free);
        stopped.push(recording.conferenceId);
      }
      return stopped;
    } finally {
      this.#busy = false;
    }
  }
}

const MB = 1024 * 1024;

export function recordingsDiskSpace(recordingsDir: string, probe: DiskSpaceProbe, settings: { minFreeMb: number; stopFreeMb: number }): RecordingsDiskSpace {
  return { freeBytes: () => probe(recordingsDir), floors: { startFloorBytes: settings.minFreeMb * MB, stopFloorBytes: settings.stopFreeMb * MB } };
}
