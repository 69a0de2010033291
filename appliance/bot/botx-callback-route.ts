import express from 'express';
import type { Router } from 'express';
import { sendError } from '../api/error-response.ts';
import type { Botx } from './botx.ts';

/**
 * The bot's endpoint for BotX: the bot's URL in the Express admin panel is `<public URL>/botx`,
 * and BotX reports there the result of each notification it accepted.
 */
export function botxCallbackRouter(botx: Botx): Router {
  const router = express.Router();
  router.post('/botx/notification/callback', express.json({ limit: '256kb' }), async (req, res, next) => {
    try {
      const known = await botx.callback(req.headers.authorization, req.body ?? {});
      if (!known) return sendError(res, 404, 'not_found', 'no notification of this bot has that sync_id');
      res.status(202).json({ result: 'accepted' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
