/**
 * The shapes the appliance answers with, taken from the server's own view functions so the client
 * cannot drift from them. Type-only imports: nothing of the server ends up in the bundle.
 */
import type { conferenceView } from '../../../conferences/views.ts';
import type { ConferenceService } from '../../../conferences/conference-service.ts';
import type { ApplianceEvent, ChatMessageView } from '../../../events/appliance-event.ts';
import type { MediaEvent } from '../../../sfu/signalling-protocol.ts';

export type { ApplianceEvent, ChatMessageView, MediaEvent };
export type ConferenceView = ReturnType<typeof conferenceView>;
export type ParticipantView = ConferenceView['participants'][number];
export type RecordingView = NonNullable<ConferenceView['recording']>;
export type PendingPrompt = NonNullable<ConferenceView['me']['pendingPrompt']>;
export type ConferenceList = Awaited<ReturnType<ConferenceService['listConferences']>>;
export type ConferenceListItem = ConferenceList['active'][number];

export interface Me {
  userId: string;
  name: string;
  server: { id: string; name: string; kind: 'corporate' | 'regional' };
}

export interface DemoUser {
  sub: string;
  name: string;
  server: string;
  serverName: string;
}

/** Everything the WebSocket pushes: conference events, media events and its greeting. */
export type ServerPush = ApplianceEvent | MediaEvent | { type: 'hello'; userId: string } | { type: 'error'; error: { code: string; message: string } };
