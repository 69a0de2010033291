import type { ResourceWithOptions } from 'adminjs';
import { FlushMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RecordingModeSettings } from '../../appliance/domain/index.ts';
import { validateRecordingMode } from '../../appliance/domain/index.ts';
import { UNFINISHED_RECORDING_STATES, assertRecordingModeDeletable, validateDefaultModeChange, validateRecordingModeName } from '../../appliance/domain/console.ts';
import { MessengerServer, Recording, RecordingMode } from '../../appliance/db/entities/index.ts';
import { adminsOnly } from '../access.ts';
import { ConsoleResource } from './console-resource.ts';
import { checkedBy } from './validation.ts';
import type { FormValues } from './validation.ts';

const SETTINGS = ['kind', 'width', 'height', 'fps', 'videoBitrateKbps', 'container', 'audioCodec', 'onlyConsenting'] as const;

/** Form values are text; the domain checks typed settings (and calls a blank number what it is: no number). */
function settingsOf(values: FormValues): RecordingModeSettings {
  const number = (value: unknown) => (value === '' || value === null || value === undefined ? Number.NaN : Number(value));
  return {
    kind: values.kind as RecordingModeSettings['kind'],
    width: number(values.width),
    height: number(values.height),
    fps: number(values.fps),
    videoBitrateKbps: number(values.videoBitrateKbps),
    container: values.container as RecordingModeSettings['container'],
    audioCodec: values.audioCodec as RecordingModeSettings['audioCodec'],
    onlyConsenting: values.onlyConsenting === undefined ? false : values.onlyConsenting,
  } as RecordingModeSettings;
}

const checkMode = checkedBy((values, context) => {
  validateRecordingModeName(values.name);
  validateRecordingMode(settingsOf(values));
  if (context.record) validateDefaultModeChange(context.record.params.isDefault === true, values.isDefault === true);
});

export function recordingModesResource(orm: MikroORM): ResourceWithOptions {
  return {
    resource: new ConsoleResource(orm, {
      model: RecordingMode,
      writes: {
        auditName: 'recording_mode',
        label: (mode) => mode.name,
        writable: ['name', 'isDefault', ...SETTINGS],
        defaults: () => ({ isDefault: false, onlyConsenting: false }),
        // One default at a time: the others lose it in the same transaction (the index allows one).
        beforeSave: async (tx, mode) => {
          if (!mode.isDefault) return;
          // Not flushed first: this mode's own change would meet the index before the others let go.
          const previous = await tx.find(RecordingMode, { isDefault: true, id: { $ne: mode.id } }, { flushMode: FlushMode.COMMIT });
          if (previous.length === 0) return;
          await tx.nativeUpdate(RecordingMode, { id: { $in: previous.map((p) => p.id) } }, { isDefault: false });
          return { details: { defaultBefore: previous.map((p) => p.name) } };
        },
        beforeDelete: async (tx, mode) => {
          const unfinishedRecordings = await tx.count(Recording, { modeId: mode.id, state: { $in: [...UNFINISHED_RECORDING_STATES] } });
          const servers = await tx.find(MessengerServer, { defaultModeId: mode.id }, { orderBy: { name: 'asc' } });
          assertRecordingModeDeletable(mode, { unfinishedRecordings, defaultOfServers: servers.map((s) => s.name) });
        },
      },
    }),
    options: {
      navigation: { name: 'navRecording', icon: 'Video' },
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'isDefault', 'kind', 'width', 'height', 'fps', 'videoBitrateKbps', 'container', 'audioCodec'],
      showProperties: ['name', 'isDefault', ...SETTINGS, 'createdAt', 'updatedAt'],
      editProperties: ['name', 'isDefault', ...SETTINGS],
      filterProperties: ['name', 'isDefault', 'kind', 'container', 'audioCodec'],
      actions: {
        new: { isAccessible: adminsOnly, before: checkMode },
        edit: { isAccessible: adminsOnly, before: checkMode },
        delete: { isAccessible: adminsOnly },
        bulkDelete: { isAccessible: false, isVisible: false },
      },
    },
  };
}
