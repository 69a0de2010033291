import fs from 'node:fs/promises';
import path from 'node:path';
import type { ActionContext, ActionRequest, RecordActionResponse, ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { formatDuration } from '../../appliance/domain/index.ts';
import { assertRecordingDeletable, isUnfinished } from '../../appliance/domain/console.ts';
import type { RecordingState } from '../../appliance/domain/index.ts';
import { Conference, LegalHold, Recording, RecordingFile } from '../../appliance/db/entities/index.ts';
import { auditConsoleAction } from '../audit.ts';
import { adminsOnly, mayChange } from '../access.ts';
import type { ConsoleComponents } from '../components/components.ts';
import { ConsoleResource } from './console-resource.ts';
import { containing } from './filters.ts';
import { toConsoleError } from './validation.ts';

export interface RecordingsDeps {
  orm: MikroORM;
  recordingsDir: string;
  finisher: { repostMessage(recordingId: string): Promise<void> };
  components: ConsoleComponents;
}

/** A file's place on disk, never outside the recordings directory whatever its row says. */
export function filePath(recordingsDir: string, file: Pick<RecordingFile, 'path'>): string | undefined {
  const root = path.resolve(recordingsDir);
  const absolute = path.resolve(root, file.path);
  return absolute.startsWith(root + path.sep) ? absolute : undefined;
}

/** How the console names a recording: its conference and number. */
export function recordingTitle(conferenceTitle: string | undefined, number: number): string {
  return `«${conferenceTitle ?? '?'}» №${number}`;
}

/** Removes a deleted recording's files, then the folders they leave empty. */
async function removeFiles(recordingsDir: string, files: RecordingFile[]): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    const absolute = filePath(recordingsDir, file);
    if (!absolute) continue;
    await fs.rm(absolute, { force: true });
    folders.add(path.dirname(absolute));
  }
  for (const folder of folders) {
    if (folder === path.resolve(recordingsDir)) continue;
    await fs.rmdir(folder).catch(() => undefined);
  }
}

export function recordingsResource(deps: RecordingsDeps): ResourceWithOptions {
  const { orm, recordingsDir, finisher, components } = deps;

  const repostMessage = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<RecordActionResponse> => {
    const record = context.record!;
    if (request.method === 'post') {
      try {
        await finisher.repostMessage(String(record.id()));
      } catch (error) {
        throw toConsoleError(error);
      }
      await orm.em.fork().transactional(async (em) =>
        auditConsoleAction(em, context.currentAdmin, 'recording.message_reposted', {
          details: { name: record.params.title },
          conferenceId: record.params.conferenceId as string,
          recordingId: String(record.id()),
        }),
      );
      return { record: record.toJSON(context.currentAdmin), notice: { message: 'messageReposted', type: 'success' } };
    }
    return { record: record.toJSON(context.currentAdmin) };
  };

  return {
    resource: new ConsoleResource(orm, {
      model: Recording,
      present: async (em, recordings) => {
        const conferences = await em.find(Conference, { id: { $in: [...new Set(recordings.map((r) => r.conferenceId))] } });
        const titles = new Map(conferences.map((c) => [c.id, c.title]));
        return recordings.map((recording) => ({
          title: recordingTitle(titles.get(recording.conferenceId), recording.number),
          duration: formatDuration(recording.recordedMs),
          modeName: recording.mode?.name ?? null,
        }));
      },
      filters: { title: (text) => ({ conferenceId: { title: containing(text) } }) },
      presentOne: async (em, recording) => ({
        files: (await em.find(RecordingFile, { recordingId: recording.id }, { orderBy: { path: 'asc' } })).map((file) => ({
          id: file.id,
          kind: file.kind,
          name: path.basename(file.path),
          participantName: file.participantName,
          medium: file.medium,
          sizeBytes: file.sizeBytes,
          durationMs: file.durationMs,
          codecs: file.codecs,
        })),
      }),
      writes: {
        auditName: 'recording',
        label: (recording) => `№${recording.number}`,
        auditRefs: (recording) => ({ conferenceId: recording.conferenceId, recordingId: recording.id }),
        beforeDelete: async (tx, recording) => {
          assertRecordingDeletable(recording, (await tx.count(LegalHold, { recordingId: recording.id })) > 0);
          const conference = await tx.findOneOrFail(Conference, recording.conferenceId);
          const files = await tx.find(RecordingFile, { recordingId: recording.id });
          return {
            details: { conference: conference.title, files: files.map((f) => f.path), bytes: files.reduce((sum, f) => sum + f.sizeBytes, 0) },
            afterCommit: () => removeFiles(recordingsDir, files),
          };
        },
      },
    }),
    options: {
      navigation: { name: 'navRecording', icon: 'Video' },
      sort: { sortBy: 'startedAt', direction: 'desc' },
      titleProperty: 'title',
      listProperties: ['title', 'state', 'startedAt', 'duration', 'stopReason', 'modeName'],
      showProperties: ['conferenceId', 'number', 'state', 'startedAt', 'stoppedAt', 'duration', 'stopReason', 'problem', 'modeName', 'startedBy', 'stoppedBy', 'files'],
      filterProperties: ['conferenceId', 'state', 'startedAt', 'stopReason'],
      properties: {
        title: { type: 'string', isSortable: false, isVisible: { list: true, show: false, edit: false, filter: false } },
        duration: { type: 'string', isSortable: false, isVisible: { list: true, show: true, edit: false, filter: false } },
        modeName: { type: 'string', isSortable: false, isVisible: { list: true, show: true, edit: false, filter: false } },
        files: { type: 'string', components: { show: components.RecordingFiles }, isVisible: { list: false, show: true, edit: false, filter: false } },
      },
      actions: {
        new: { isAccessible: false, isVisible: false },
        edit: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        delete: { isAccessible: adminsOnly },
        download: {
          actionType: 'record',
          icon: 'Download',
          component: components.RecordingFiles,
          isAccessible: adminsOnly,
          handler: async (_request, _response, context) => ({ record: context.record!.toJSON(context.currentAdmin) }),
        },
        repostMessage: {
          actionType: 'record',
          icon: 'MessageSquare',
          component: components.ConfirmAction,
          isAccessible: ({ currentAdmin, record }) => mayChange(currentAdmin) && !(record && isUnfinished({ state: record.params.state as RecordingState })),
          handler: repostMessage,
        },
      },
    },
  };
}
