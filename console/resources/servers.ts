import type { ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ServerKind } from '../../appliance/domain/index.ts';
import { SERVER_KINDS, defaultServerRules, validateServerInput } from '../../appliance/domain/index.ts';
import { assertServerDeletable, validateServerTokenKey } from '../../appliance/domain/console.ts';
import { MessengerServer, User } from '../../appliance/db/entities/index.ts';
import { adminsOnly } from '../access.ts';
import { ConsoleResource } from './console-resource.ts';
import { checkedBy } from './validation.ts';

/**
 * The token key is write-only: it is never shown, and a blank key on editing keeps the current one.
 * A new server's rules default to the domain's for its kind unless the form set them.
 */
const checkServer = checkedBy((values, context) => {
  validateServerInput({ name: values.name, kind: values.kind, downloadPolicy: values.downloadPolicy ?? undefined });
  const payload = { ...values };
  if (!context.record || (typeof values.tokenKey === 'string' && values.tokenKey !== '')) {
    validateServerTokenKey(values.tokenKey);
  } else {
    delete payload.tokenKey;
  }
  if (payload.defaultModeId === '') payload.defaultModeId = null;
  return payload;
});

export function serversResource(orm: MikroORM): ResourceWithOptions {
  return {
    resource: new ConsoleResource(orm, {
      model: MessengerServer,
      writes: {
        auditName: 'server',
        label: (server) => server.name,
        writable: ['name', 'kind', 'tokenKey', 'mayControlRecording', 'downloadPolicy', 'defaultModeId'],
        secret: ['tokenKey'],
        defaults: (params) => {
          const kind = SERVER_KINDS.includes(params.kind as ServerKind) ? (params.kind as ServerKind) : 'corporate';
          return { ...defaultServerRules(kind) };
        },
        beforeDelete: async (tx, server) => assertServerDeletable(server, await tx.count(User, { serverId: server.id })),
      },
    }),
    options: {
      navigation: { name: 'navServers', icon: 'Server' },
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'kind', 'mayControlRecording', 'downloadPolicy', 'defaultModeId'],
      showProperties: ['id', 'name', 'kind', 'mayControlRecording', 'downloadPolicy', 'defaultModeId', 'createdAt'],
      editProperties: ['name', 'kind', 'tokenKey', 'mayControlRecording', 'downloadPolicy', 'defaultModeId'],
      filterProperties: ['name', 'kind', 'mayControlRecording', 'downloadPolicy', 'defaultModeId'],
      properties: {
        tokenKey: { type: 'password' },
      },
      actions: {
        new: { isAccessible: adminsOnly, before: checkServer },
        edit: { isAccessible: adminsOnly, before: checkServer },
        delete: { isAccessible: adminsOnly },
        bulkDelete: { isAccessible: false, isVisible: false },
      },
    },
  };
}
