import crypto from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_RECORDING_MODES } from '../domain/index.ts';
import { RecordingMode } from './entities/index.ts';

/** A fresh appliance gets the standard modes; once any mode exists the console owns the list. */
export async function seedRecordingModes(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  if ((await em.count(RecordingMode)) > 0) return;
  for (const mode of DEFAULT_RECORDING_MODES) em.create(RecordingMode, { id: crypto.randomUUID(), name: mode.name, isDefault: mode.isDefault, ...mode.settings });
  await em.flush();
}
