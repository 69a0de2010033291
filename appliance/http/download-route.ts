import path from 'node:path';
import express from 'express';
import type { Router } from 'express';
import { bearerToken } from '../api/api-router.ts';
import { sendError } from '../api/error-response.ts';
import type { DownloadGate } from '../access/download-gate.ts';
import { DownloadRefusal } from '../access/download-gate.ts';
import { sendRefusal } from '../access/refusal-response.ts';
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
 * `GET /d/:token/:name`: a recording's file by its signed link, streamed with HTTP Range so large
 * downloads resume, under a name made of the conference title and date. When the owner server's
 * rule needs to know who downloads, the user's token comes as a Bearer header or, for links opened
 * in a browser or player, the link itself names the user it was issued to. A user token in the
 * URL is refused: access logs and browser histories would keep it.
 */
export function downloadRouter(gate: DownloadGate, recordingsDir: string): Router {
  const router = express.Router();
  router.get('/d/:token/:name?', async (req, res, next) => {
    try {
      if (req.query.token !== undefined) {
        throw new DownloadRefusal(
          400,
          'token_in_url',
          'a user token goes not in the URL, where access logs keep it: send it as a Bearer header, or ask for links of your own (POST /api/recordings/{recordingId}/links), which name you',
        );
      }
      const { file, recording, conference } = await gate.admit(req.params.token, bearerToken(req), req.headers.range ?? null);
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
      if (error instanceof DownloadRefusal) return sendRefusal(req, res, error);
      next(error);
    }
  });
  return router;
}
