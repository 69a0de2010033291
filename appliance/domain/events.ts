import type { ParticipantRole } from './conference.ts';
import type { PromptKind } from './consent.ts';
import type { StopReason } from './recording.ts';

/**
 * What the rules decided, in the order it happened. The application stores each one in the audit
 * log and pushes it to the conference's participants over the WebSocket.
 */
export type DomainEvent =
  | { type: 'conference.created'; conferenceId: string; title: string }
  | { type: 'conference.ended'; conferenceId: string }
  | { type: 'participant.joined'; conferenceId: string; userId: string; name: string; role: ParticipantRole }
  /** `connectionLost` only when nobody chose it: every connection of theirs was gone for the grace period. */
  | { type: 'participant.left'; conferenceId: string; userId: string; declinedRecording: boolean; connectionLost?: true }
  | { type: 'participant.role_changed'; conferenceId: string; userId: string; role: ParticipantRole }
  | { type: 'recording.started'; conferenceId: string; recordingId: string; number: number }
  | { type: 'recording.paused'; conferenceId: string; recordingId: string; recordedMs: number }
  | { type: 'recording.resumed'; conferenceId: string; recordingId: string; recordedMs: number }
  | { type: 'recording.stopped'; conferenceId: string; recordingId: string; reason: StopReason; recordedMs: number }
  | { type: 'consent.requested'; conferenceId: string; recordingId: string; userId: string; promptId: string; kind: PromptKind }
  | { type: 'consent.given'; conferenceId: string; userId: string };

export type DomainEventType = DomainEvent['type'];

/** Events meant for one participant only; every other event goes to the whole conference. */
export function addresseeOf(event: DomainEvent): string | null {
  return event.type === 'consent.requested' ? event.userId : null;
}
