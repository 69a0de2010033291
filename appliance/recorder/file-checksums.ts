import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { sha256Of } from '../../pipelines/index.ts';
import { RecordingFile } from '../db/entities/index.ts';

/**
 * Computes the SHA-256 of recorded files that have none yet: of one recording's files right after
 * its links are posted (reading hours of video takes seconds, and the links must not wait for
 * it), or of every file a stopped appliance left without one. A file gone meanwhile (retention,
 * an operator) keeps no checksum; the others are still done.
 */
export async function fillMissingChecksums(orm: MikroORM, recordingsDir: string, recordingId?: string): Promise<void> {
  const em = orm.em.fork();
  const files = await em.find(RecordingFile, { sha256: null, ...(recordingId === undefined ? {} : { recordingId }) }, { orderBy: { createdAt: 'asc' } });
  for (const file of files) {
    try {
      file.sha256 = await sha256Of(path.join(recordingsDir, file.path));
      await em.flush();
    } catch (error) {
      console.error(`recording ${file.recordingId}: no checksum for ${file.path}: ${(error as Error).message}`);
    }
  }
}
