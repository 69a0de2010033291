import type { ApiRoute } from '../api/api-route.ts';
import { route } from '../api/api-route.ts';
import { bearerToken } from '../api/api-router.ts';
import type { BotApiKeys } from './bot-api-keys.ts';
import type { RecordingStatusReader } from './recording-status.ts';

/** The status API for chat bots, authenticated by a bot API key rather than a user token. */
export function botStatusRoutes(keys: BotApiKeys, status: RecordingStatusReader): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/bot/conferences/:conferenceId/recordings',
      summary: 'For chat bots (Authorization: Bearer <bot API key>): every recording of a conference with its state, timer and fresh download links',
      tag: 'bots',
      // Not a user token: the key is checked by the handler, and a refusal is still a 401.
      authenticated: false,
      success: { status: 200, description: '{ conference, recordings: [{ state, recordedMs, runningSince, files: [{ url, … }], linksExpireAt, legalHold, … }] }' },
      refusals: [401, 404],
      handler: async ({ params, request }) => {
        await keys.authenticate(bearerToken(request));
        return status.conference(params.conferenceId!);
      },
    }),
  ];
}
