import { InvalidInputError } from './errors.ts';

export type ConferenceState = 'active' | 'ended';

export interface ConferenceData {
  id: string;
  title: string;
  createdBy: string;
  state: ConferenceState;
  createdAt: Date;
  endedAt: Date | null;
}

export type ParticipantRole = 'admin' | 'member';

export interface ParticipantData {
  id: string;
  conferenceId: string;
  userId: string;
  name: string;
  serverId: string;
  role: ParticipantRole;
  /** In the conference now; a participant who left stays on record (they keep reading the chat). */
  present: boolean;
  joinedAt: Date;
  leftAt: Date | null;
}

export const TITLE_MAX_LENGTH = 200;

export function normaliseTitle(title: string): string {
  const trimmed = title.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) throw new InvalidInputError('a conference needs a title', 'title');
  if (trimmed.length > TITLE_MAX_LENGTH) {
    throw new InvalidInputError(`a conference title is at most ${TITLE_MAX_LENGTH} characters`, 'title');
  }
  return trimmed;
}

/** The manual's conference list: current conferences, and «Завершенные» below them. */
export function splitByState<T extends { conference: Pick<ConferenceData, 'state'> }>(items: T[]): { active: T[]; completed: T[] } {
  return {
    active: items.filter((item) => item.conference.state === 'active'),
    completed: items.filter((item) => item.conference.state === 'ended'),
  };
}
