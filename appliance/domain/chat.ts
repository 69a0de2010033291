import { InvalidInputError } from './errors.ts';

export const RECORDINGS_BOT_NAME = 'Recordings Bot';
export const CHAT_TEXT_MAX_LENGTH = 4000;

export interface ChatLink {
  label: string;
  url: string;
}

export interface ChatMessageData {
  id: string;
  conferenceId: string;
  /** null for the Recordings Bot. */
  authorUserId: string | null;
  authorName: string;
  text: string;
  links: ChatLink[];
  createdAt: Date;
}

export function normaliseChatText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new InvalidInputError('a chat message needs some text', 'text');
  if (trimmed.length > CHAT_TEXT_MAX_LENGTH) {
    throw new InvalidInputError(`a chat message is at most ${CHAT_TEXT_MAX_LENGTH} characters`, 'text');
  }
  return trimmed;
}
