import type { RequestHandler } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Conference, Recording, RecordingFile } from '../appliance/db/entities/index.ts';
import { downloadName } from '../appliance/recorder/recording-finisher.ts';
import { signedIn } from './access.ts';
import { auditConsoleAction } from './audit.ts';
import { filePath } from './resources/recordings.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A recording's file for a console admin, whatever the file's link rules say; every download is audited. */
export function recordingFileDownload(orm: MikroORM, recordingsDir: string): RequestHandler {
  return async (req, res, next) => {
    try {
      const fileId = String(req.params.fileId);
      const em = orm.em.fork();
      const file = UUID.test(fileId) ? await em.findOne(RecordingFile, fileId) : null;
      const absolute = file && filePath(recordingsDir, file);
      if (!file || !absolute) {
        res.status(404).type('text/plain; charset=utf-8').send('Такого файла нет.');
        return;
      }
      const recording = await em.findOneOrFail(Recording, file.recordingId);
      const conference = await em.findOneOrFail(Conference, recording.conferenceId);
      await em.transactional(async (tx) =>
        auditConsoleAction(tx, signedIn(req), 'recording_file.downloaded', {
          details: { file: file.path, sizeBytes: file.sizeBytes },
          conferenceId: conference.id,
          recordingId: recording.id,
        }),
      );
      res.download(absolute, downloadName(conference.title, recording.startedAt, recording.number, file.path), { headers: { 'Cache-Control': 'private, no-store' } }, (error) => {
        if (!error || res.headersSent) return;
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') res.status(410).type('text/plain; charset=utf-8').send('Файла больше нет на устройстве.');
        else next(error);
      });
    } catch (error) {
      next(error);
    }
  };
}
