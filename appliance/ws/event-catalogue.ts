import type { ApplianceEvent } from '../events/appliance-event.ts';

/**
 * Every message the WebSocket pushes, each a JSON object with a `type` and the conference it
 * concerns. Kept complete by the type: a new event cannot ship undocumented.
 */
export const WEBSOCKET_EVENTS: Record<ApplianceEvent['type'], string> = {
  'conference.created': 'a conference was created (to its creator)',
  'conference.ended': 'the last participant left; the conference moves to «Завершенные»',
  'participant.joined': 'someone joined or rejoined: userId, name, role',
  'participant.left': 'someone left: userId; declinedRecording is true when they chose «Покинуть конференцию» at the recording question; connectionLost is true when none of their connections came back within the grace period',
  'participant.role_changed': 'a participant was made an admin: userId, role',
  'recording.started': 'an admin started recording: recordingId, number',
  'recording.paused': 'the recording was paused: recordedMs is the timer, now holding still',
  'recording.resumed': 'the recording was resumed: recordedMs at the moment of resuming',
  'recording.stopped': 'the recording ended: reason (timer, menu, leave, all-admins-left, controllers-left, failure, disk-full), recordedMs',
  'consent.requested': 'to one participant only: answer promptId with «Согласен на запись» or «Покинуть конференцию»; kind is admin-confirmation for the other admins',
  'consent.given': 'a participant agreed to be recorded',
  'chat.message': 'a chat message, including the Recordings Bot\'s message with download links',
  'recording.ready': 'the files are final and the Recordings Bot has posted their links',
  'recording.failed': 'the recording produced no usable files: problem says why',
  'recording.timer': 'once a second while a recording is live: recordedMs (pauses excluded) and state',
};
