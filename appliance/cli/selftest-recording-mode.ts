import type { MikroORM } from '@mikro-orm/postgresql';
import { RecordingMode } from '../db/entities/index.ts';
import { RECORDING_MODE_KINDS } from '../domain/index.ts';
import type { RecordingModeKind } from '../domain/index.ts';
import { SelftestError } from './selftest-error.ts';

/** `--mode` names neither a kind nor one of the appliance's modes. */
export class UnknownRecordingModeError extends SelftestError {
  constructor(wanted: string, modes: RecordingMode[]) {
    const names = modes.map((mode) => `"${mode.name}" (${mode.kind})`).join(', ') || 'none';
    super(`--mode "${wanted}" is neither a kind (${RECORDING_MODE_KINDS.join(', ')}) nor a recording mode of this appliance; its modes: ${names}`);
    this.name = 'UnknownRecordingModeError';
  }
}

/**
 * One of the appliance's own recording modes, so that the self-test records as its users' recordings
 * would: the one named, or for a kind the appliance's default mode if it is of that kind, else the
 * oldest of that kind.
 */
export async function recordingModeFor(orm: MikroORM, wanted: string): Promise<RecordingMode> {
  const modes = await orm.em.fork().find(RecordingMode, {}, { orderBy: { isDefault: 'desc', createdAt: 'asc' } });
  const chosen = RECORDING_MODE_KINDS.includes(wanted as RecordingModeKind) ? modes.find((mode) => mode.kind === wanted) : modes.find((mode) => mode.name === wanted);
  if (!chosen) throw new UnknownRecordingModeError(wanted, modes);
  return chosen;
}
