import type { ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AuditEntry, Conference, User } from '../../appliance/db/entities/index.ts';
import { READ_ONLY_ACTIONS } from '../access.ts';
import { ConsoleResource } from './console-resource.ts';

/** Conferences, messenger users and the audit log: the console shows and filters them, never changes them. */
export function readOnlyResources(orm: MikroORM): ResourceWithOptions[] {
  return [
    {
      resource: new ConsoleResource(orm, { model: Conference }),
      options: {
        navigation: { name: 'navJournal', icon: 'BookOpen' },
        sort: { sortBy: 'createdAt', direction: 'desc' },
        titleProperty: 'title',
        listProperties: ['title', 'state', 'createdAt', 'endedAt', 'createdBy'],
        showProperties: ['id', 'title', 'state', 'createdAt', 'endedAt', 'createdBy'],
        filterProperties: ['title', 'state', 'createdAt', 'createdBy'],
        actions: READ_ONLY_ACTIONS,
      },
    },
    {
      resource: new ConsoleResource(orm, { model: User }),
      options: {
        navigation: { name: 'navServers', icon: 'Server' },
        sort: { sortBy: 'lastSeenAt', direction: 'desc' },
        titleProperty: 'name',
        listProperties: ['name', 'serverId', 'externalId', 'lastSeenAt'],
        filterProperties: ['name', 'serverId', 'externalId', 'lastSeenAt'],
        actions: READ_ONLY_ACTIONS,
      },
    },
    {
      resource: new ConsoleResource(orm, {
        model: AuditEntry,
        // Details differ by action; as text they read the same everywhere.
        present: async (_em, entries) => entries.map((entry) => ({ details: JSON.stringify(entry.details) })),
      }),
      options: {
        navigation: { name: 'navJournal', icon: 'BookOpen' },
        sort: { sortBy: 'at', direction: 'desc' },
        titleProperty: 'action',
        listProperties: ['at', 'action', 'actorName', 'details'],
        showProperties: ['id', 'at', 'action', 'actorName', 'actorUserId', 'actorServerId', 'conferenceId', 'recordingId', 'details'],
        filterProperties: ['at', 'action', 'actorName', 'conferenceId', 'recordingId'],
        // The adapter knows no type for a bigserial key.
        properties: { id: { type: 'number', isSortable: true }, details: { type: 'textarea' } },
        actions: READ_ONLY_ACTIONS,
      },
    },
  ];
}
