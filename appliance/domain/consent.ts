/**
 * The manual asks participants once per conference whether they agree to be recorded; the other
 * admins get the same question as a confirmation of their participation.
 */
export type PromptKind = 'consent' | 'admin-confirmation';

export type PromptAnswer = 'agree' | 'leave';

export interface ConsentData {
  id: string;
  conferenceId: string;
  userId: string;
  givenAt: Date;
}

/**
 * A question put to one participant; pending while `answeredAt` is null. A question whose recording
 * ended before it was answered lapses: `answeredAt` set, `answer` null.
 */
export interface PromptData {
  id: string;
  conferenceId: string;
  recordingId: string;
  userId: string;
  kind: PromptKind;
  createdAt: Date;
  answeredAt: Date | null;
  answer: PromptAnswer | null;
}

export const PROMPT_CHOICES: Record<PromptAnswer, string> = {
  agree: 'Согласен на запись',
  leave: 'Покинуть конференцию',
};
