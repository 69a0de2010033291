import fs from 'node:fs/promises';
import { JoinError } from '../errors.ts';

/**
 * Writes a small JSON file a finished recording is described by (`recording.json`, the
 * manifest). On a full disk nothing half-written stays behind and `JoinError` says the whole
 * finish can be tried again.
 */
export async function writeRecordingNote(file: string, content: unknown): Promise<number> {
  try {
    await fs.writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
    return (await fs.stat(file)).size;
  } catch (error) {
    await fs.rm(file, { force: true });
    throw new JoinError(`writing ${file} failed: ${(error as Error).message}`);
  }
}
