import type { Request } from 'express';
import type { MediaKind } from 'mediasoup/types';
import type { ApiRoute } from '../api/api-route.ts';
import { route } from '../api/api-route.ts';
import { SELFTEST_SERVER } from '../auth/selftest-identity.ts';
import type { ConferenceService } from '../conferences/conference-service.ts';
import type { Actor } from '../domain/index.ts';
import { isDirectFromThisHost } from '../http/this-host.ts';
import { IngestRefusedError } from './errors.ts';
import type { MediaSource } from './signalling-protocol.ts';
import { INGEST_PAYLOAD_TYPES } from './synthetic-ingest.ts';
import type { SyntheticIngests } from './synthetic-ingests.ts';

/** Long enough for the longest self-test (an hour) with its setup and the wait for the links. */
const MAX_LIFETIME_SECONDS = 3 * 3600;

/**
 * Synthetic media lets a caller appear in a conference with any picture and sound, so it is the
 * self-test's alone. Its server can only sign tokens with a key from the appliance's data
 * directory (auth/selftest-identity.ts), and the call must come straight from this host, not
 * through nginx: the port it returns listens on loopback only, so nobody elsewhere could send to
 * it anyway, and a stolen self-test token is of no use off the host. A participant feeds at most
 * one stream per source and kind, each for a lifetime it names, so even a runaway caller cannot
 * pile up transports in the SFU's port range.
 */
function assertSelftestCaller(actor: Actor, request: Request): void {
  if (actor.server.id !== SELFTEST_SERVER.id) throw new IngestRefusedError('synthetic media is for the appliance\'s self-test only');
  if (!isDirectFromThisHost(request)) throw new IngestRefusedError('synthetic media is accepted only from the appliance\'s own host, straight to its port and not through a proxy');
}

interface IngestBody {
  kind: MediaKind;
  source: MediaSource;
  ssrc: number;
  lifetimeSeconds: number;
}

export function ingestRoutes(ingests: SyntheticIngests, conferences: ConferenceService): ApiRoute[] {
  return [
    route<IngestBody>({
      method: 'post',
      path: '/conferences/:conferenceId/ingests',
      summary: 'Self-test only, from the appliance\'s host: a loopback UDP port where plain RTP (VP8 on payload type 96, stereo Opus on 100, RTCP muxed) becomes the caller\'s producer',
      tag: 'diagnostics',
      body: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['audio', 'video'] },
          source: { type: 'string', enum: ['microphone', 'camera', 'screen'] },
          ssrc: { type: 'integer', minimum: 1, maximum: 0xffffffff },
          lifetimeSeconds: { type: 'integer', minimum: 1, maximum: MAX_LIFETIME_SECONDS },
        },
        required: ['kind', 'source', 'ssrc', 'lifetimeSeconds'],
        additionalProperties: false,
      },
      success: { status: 201, description: '{ id, port, payloadType }: send RTP to 127.0.0.1:port' },
      refusals: [403, 404, 409],
      handler: async ({ actor, params, body, request }) => {
        assertSelftestCaller(actor, request);
        const conference = await conferences.getConference(actor, params.conferenceId!);
        if (!conference.me.present) throw new IngestRefusedError('join the conference first: synthetic media comes from its participants');
        const ingest = await ingests.open(conference.id, actor.userId, { kind: body.kind, source: body.source, ssrc: body.ssrc }, body.lifetimeSeconds * 1000);
        return { id: ingest.producerId, port: ingest.port, payloadType: INGEST_PAYLOAD_TYPES[body.kind] };
      },
    }),
    route({
      method: 'delete',
      path: '/conferences/:conferenceId/ingests/:ingestId',
      summary: 'Close a synthetic ingest the caller opened; its producer leaves the conference',
      tag: 'diagnostics',
      success: { status: 200, description: '{}' },
      refusals: [404],
      handler: async ({ actor, params }) => {
        ingests.close(params.conferenceId!, actor.userId, params.ingestId!);
        return {};
      },
    }),
  ];
}
