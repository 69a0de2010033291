import type { ChatLink, DomainEvent, RecordingState } from '../domain/index.ts';

export interface ChatMessageView {
  id: string;
  conferenceId: string;
  authorUserId: string | null;
  authorName: string;
  bot: boolean;
  text: string;
  links: ChatLink[];
  createdAt: string;
}

/** Everything pushed to participants over the WebSocket: the rules' events and the appliance's own. */
export type ApplianceEvent =
  | DomainEvent
  | { type: 'chat.message'; conferenceId: string; message: ChatMessageView }
  | { type: 'recording.ready'; conferenceId: string; recordingId: string; links: ChatLink[] }
  | { type: 'recording.failed'; conferenceId: string; recordingId: string; problem: string }
  | { type: 'recording.timer'; conferenceId: string; recordingId: string; state: RecordingState; recordedMs: number };
