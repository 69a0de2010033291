import { AuditEntry } from './audit-entry.ts';
import { BotApiKey } from './bot-api-key.ts';
import { BotxBot } from './botx-bot.ts';
import { BotxChat } from './botx-chat.ts';
import { ChatMessage } from './chat-message.ts';
import { Conference } from './conference.ts';
import { Consent } from './consent.ts';
import { ConsoleSession } from './console-session.ts';
import { ConsoleUser } from './console-user.ts';
import { DeliveryAttempt } from './delivery-attempt.ts';
import { LegalHold } from './legal-hold.ts';
import { MessengerServer } from './messenger-server.ts';
import { OutboundDelivery } from './outbound-delivery.ts';
import { Participant } from './participant.ts';
import { Prompt } from './prompt.ts';
import { Recording } from './recording.ts';
import { RecordingFile } from './recording-file.ts';
import { RecordingExpiry } from './recording-expiry.ts';
import { RecordingMode } from './recording-mode.ts';
import { RetentionPolicy } from './retention-policy.ts';
import { User } from './user.ts';
import { Webhook } from './webhook.ts';

export { AuditEntry, ChatMessage, Conference, Consent, ConsoleSession, ConsoleUser, MessengerServer, Participant, Prompt, Recording, RecordingFile, RecordingMode, User };
export { BotApiKey, BotxBot, BotxChat, DeliveryAttempt, LegalHold, OutboundDelivery, RecordingExpiry, RetentionPolicy, Webhook };

export const ENTITIES = [RecordingMode, MessengerServer, User, Conference, Participant, Consent, Recording, Prompt, RecordingFile, ChatMessage, AuditEntry, ConsoleUser, ConsoleSession,
  RetentionPolicy, LegalHold, RecordingExpiry, Webhook, BotxBot, BotxChat, OutboundDelivery, DeliveryAttempt, BotApiKey];
