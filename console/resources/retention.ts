import type { ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { validateLegalHold, validateRetentionPolicy } from '../../appliance/domain/index.ts';
import { LegalHold, RetentionPolicy } from '../../appliance/db/entities/index.ts';
import { adminsOnly } from '../access.ts';
import { ConsoleResource } from './console-resource.ts';
import { checkedBy } from './validation.ts';
import type { FormValues } from './validation.ts';

/** An unset reference arrives as an empty string from a cleared select. */
function reference(value: unknown): string | null {
  return value === '' || value === undefined || value === null ? null : String(value);
}

const checkPolicy = checkedBy((values) => {
  const payload: FormValues = { ...values, serverId: reference(values.serverId), modeId: reference(values.modeId) };
  validateRetentionPolicy({ ...payload, keepDays: values.keepDays === '' || values.keepDays === undefined ? Number.NaN : Number(values.keepDays) });
  return payload;
});

/** Whoever places a hold is the console user signed in, whatever the form says. */
const checkHold = checkedBy((values, context) => {
  validateLegalHold({ reason: values.reason });
  return { ...values, placedBy: context.currentAdmin?.email };
});

export function retentionResources(orm: MikroORM): ResourceWithOptions[] {
  return [
    {
      resource: new ConsoleResource(orm, {
        model: RetentionPolicy,
        writes: {
          auditName: 'retention_policy',
          label: (policy) => policy.name,
          writable: ['name', 'scope', 'serverId', 'modeId', 'keepDays', 'action', 'enabled'],
          defaults: () => ({ enabled: true }),
        },
      }),
      options: {
        navigation: { name: 'navRetention', icon: 'Archive' },
        sort: { sortBy: 'scope', direction: 'asc' },
        listProperties: ['name', 'scope', 'serverId', 'modeId', 'keepDays', 'action', 'enabled'],
        showProperties: ['name', 'scope', 'serverId', 'modeId', 'keepDays', 'action', 'enabled', 'createdAt', 'updatedAt'],
        editProperties: ['name', 'scope', 'serverId', 'modeId', 'keepDays', 'action', 'enabled'],
        filterProperties: ['name', 'scope', 'serverId', 'modeId', 'action', 'enabled'],
        actions: {
          new: { isAccessible: adminsOnly, before: checkPolicy },
          edit: { isAccessible: adminsOnly, before: checkPolicy },
          delete: { isAccessible: adminsOnly },
          bulkDelete: { isAccessible: false, isVisible: false },
        },
      },
    },
    {
      resource: new ConsoleResource(orm, {
        model: LegalHold,
        writes: {
          auditName: 'legal_hold',
          label: (hold) => hold.reason,
          writable: ['recordingId', 'reason', 'placedBy'],
          auditRefs: (hold) => ({ recordingId: hold.recordingId }),
        },
      }),
      options: {
        navigation: { name: 'navRetention', icon: 'Archive' },
        sort: { sortBy: 'placedAt', direction: 'desc' },
        titleProperty: 'reason',
        listProperties: ['recordingId', 'reason', 'placedBy', 'placedAt'],
        showProperties: ['recordingId', 'reason', 'placedBy', 'placedAt'],
        editProperties: ['recordingId', 'reason'],
        filterProperties: ['recordingId', 'placedBy', 'placedAt'],
        actions: {
          new: { isAccessible: adminsOnly, before: checkHold },
          // A hold is placed or lifted, never quietly rewritten.
          edit: { isAccessible: false, isVisible: false },
          delete: { isAccessible: adminsOnly },
          bulkDelete: { isAccessible: false, isVisible: false },
        },
      },
    },
  ];
}
