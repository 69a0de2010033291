import type { ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WEBHOOK_EVENTS, validateWebhookInput } from '../../appliance/domain/webhooks.ts';
import { Webhook } from '../../appliance/db/entities/index.ts';
import { adminsOnly } from '../access.ts';
import { BOTS_NAVIGATION } from './botx.ts';
import { ConsoleResource } from './console-resource.ts';
import { clearedAsBlank } from './validation.ts';
import { blankKeepsSecret } from './write-only.ts';

/** Checked once the values are set, so that an edit keeping the secret is checked with the current one. */
export function webhooksResource(orm: MikroORM): ResourceWithOptions {
  return {
    resource: new ConsoleResource(orm, {
      model: Webhook,
      writes: {
        auditName: 'webhook',
        label: (webhook) => webhook.name,
        writable: ['name', 'url', 'secret', 'events', 'enabled'],
        secret: ['secret'],
        defaults: () => ({ enabled: true }),
        beforeSave: async (_tx, webhook) => validateWebhookInput(webhook),
      },
    }),
    options: {
      navigation: BOTS_NAVIGATION,
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'url', 'events', 'enabled'],
      showProperties: ['name', 'url', 'events', 'enabled', 'createdAt', 'updatedAt'],
      editProperties: ['name', 'url', 'secret', 'events', 'enabled'],
      filterProperties: ['name', 'url', 'enabled'],
      properties: {
        secret: { type: 'password' },
        events: { type: 'string', isArray: true, availableValues: WEBHOOK_EVENTS.map((event) => ({ value: event, label: event })) },
      },
      actions: {
        new: { isAccessible: adminsOnly },
        edit: { isAccessible: adminsOnly, before: [blankKeepsSecret('secret'), clearedAsBlank(['name', 'url'])] },
        delete: { isAccessible: adminsOnly },
        bulkDelete: { isAccessible: false, isVisible: false },
      },
    },
  };
}
