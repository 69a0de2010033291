import path from 'node:path';
import express from 'express';
import type { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Conference, Recording, RecordingFile } from '../db/entities/index.ts';
import { sendError } from '../api/error-response.ts';
import { downloadName } from '../recorder/recording-finisher.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mkv': 'video/x-matroska',
  '.m4a': 'audio/mp4',
  '.mka': 'audio/x-matroska',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.json': 'application/json',
};

/**
 * `GET /d/:token/:name`: a recording's file by its unguessable link, streamed with HTTP Range so
 * large downloads resume, under a name made of the conference title and date.
 */
export function downloadRouter(orm: MikroORM, recordingsDir: string): Router {
  const router = express.Router();
  router.get('/d/:token/:name?', async (req, res, next) => {
    try {
      const em = orm.em.fork();
      const file = await em.findOne(RecordingFile, { linkToken: req.params.token });
      if (!file) return sendError(res, 404, 'not_found', 'this download link is not valid (it may have expired or been deleted)');
      const recording = await em.findOneOrFail(Recording, file.recordingId);
      const conference = await em.findOneOrFail(Conference, recording.conferenceId);
      const absolute = path.resolve(recordingsDir, file.path);
      if (!absolute.startsWith(path.resolve(recordingsDir) + path.sep)) return sendError(res, 404, 'not_found', 'no such file');
      const name = downloadName(conference.title, recording.startedAt, recording.number, file.path);
      res.sendFile(
        absolute,
        {
          acceptRanges: true,
          cacheControl: false,
          headers: {
            'Content-Type': CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream',
            'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, "'")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
            'Cache-Control': 'private, no-store',
          },
        },
        (error) => {
          if (!error) return;
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) {
            sendError(res, 410, 'gone', 'the file of this link is no longer on the appliance');
          } else if (!res.headersSent) {
            next(error);
          }
        },
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}
