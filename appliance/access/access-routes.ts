import type { ApiRoute } from '../api/api-route.ts';
import { route } from '../api/api-route.ts';
import type { DownloadGate } from './download-gate.ts';

export function accessRoutes(gate: DownloadGate): ApiRoute[] {
  return [
    route({
      method: 'post',
      path: '/recordings/:recordingId/links',
      summary: "Fresh signed download links for a recording's files, for whoever the rule of the recording's server lets download it; each link names the user it is issued to, so it opens in a browser or player with no token in the URL",
      tag: 'recording',
      body: { type: 'object', properties: {}, additionalProperties: false },
      success: { status: 200, description: '{ recordingId, expiresAt, files: [{ id, kind, sizeBytes, durationMs, url, … }] }' },
      refusals: [403, 404, 409],
      handler: ({ actor, params }) => gate.freshLinks(actor, params.recordingId!),
    }),
  ];
}
