import { AuditEntry } from './audit-entry.ts';
import { ChatMessage } from './chat-message.ts';
import { Conference } from './conference.ts';
import { Consent } from './consent.ts';
import { MessengerServer } from './messenger-server.ts';
import { Participant } from './participant.ts';
import { Prompt } from './prompt.ts';
import { Recording } from './recording.ts';
import { RecordingFile } from './recording-file.ts';
import { RecordingMode } from './recording-mode.ts';
import { User } from './user.ts';

export { AuditEntry, ChatMessage, Conference, Consent, MessengerServer, Participant, Prompt, Recording, RecordingFile, RecordingMode, User };

export const ENTITIES = [RecordingMode, MessengerServer, User, Conference, Participant, Consent, Recording, Prompt, RecordingFile, ChatMessage, AuditEntry];
