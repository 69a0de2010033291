import { InvalidInputError } from './errors.ts';
import type { RecordingData } from './recording.ts';
import { isLive } from './recording.ts';

/**
 * How long recordings are kept, as the administrators set it: one policy for the whole appliance,
 * and policies for the recordings of one server (the starter's) or of one recording mode.
 */
export type RetentionScope = 'global' | 'server' | 'mode';

/** On expiry: delete the files and keep the recording on record, or delete the recording too. */
export type RetentionAction = 'delete-files' | 'delete-recording';

export const RETENTION_SCOPES: readonly RetentionScope[] = ['global', 'server', 'mode'];
export const RETENTION_ACTIONS: readonly RetentionAction[] = ['delete-files', 'delete-recording'];
export const RETENTION_KEEP_DAYS_MAX = 36_500;
export const LEGAL_HOLD_REASON_MAX_LENGTH = 500;

const DAY_MS = 86_400_000;

export interface RetentionPolicyData {
  id: string;
  scope: RetentionScope;
  serverId: string | null;
  modeId: string | null;
  keepDays: number;
  action: RetentionAction;
  enabled: boolean;
}

/** Refuses a policy that names the wrong target for its scope or keeps recordings for no time. */
export function validateRetentionPolicy(input: { scope?: unknown; serverId?: unknown; modeId?: unknown; keepDays?: unknown; action?: unknown }): void {
  if (!RETENTION_SCOPES.includes(input.scope as RetentionScope)) throw new InvalidInputError(`a retention scope is one of: ${RETENTION_SCOPES.join(', ')}`, 'scope');
  if (!RETENTION_ACTIONS.includes(input.action as RetentionAction)) throw new InvalidInputError(`what expiry does is one of: ${RETENTION_ACTIONS.join(', ')}`, 'action');
  const days = input.keepDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > RETENTION_KEEP_DAYS_MAX) {
    throw new InvalidInputError(`recordings are kept a whole number of days from 1 to ${RETENTION_KEEP_DAYS_MAX}`, 'keepDays');
  }
  const server = input.serverId ?? null;
  const mode = input.modeId ?? null;
  if (input.scope === 'server' && !server) throw new InvalidInputError('a server policy names its server', 'serverId');
  if (input.scope === 'mode' && !mode) throw new InvalidInputError('a mode policy names its recording mode', 'modeId');
  if (input.scope !== 'server' && server) throw new InvalidInputError(`a ${input.scope} policy names no server`, 'serverId');
  if (input.scope !== 'mode' && mode) throw new InvalidInputError(`a ${input.scope} policy names no recording mode`, 'modeId');
}

export function validateLegalHold(input: { reason?: unknown }): void {
  if (typeof input.reason !== 'string' || input.reason.trim().length === 0 || input.reason.length > LEGAL_HOLD_REASON_MAX_LENGTH) {
    throw new InvalidInputError(`a legal hold states its reason in 1 to ${LEGAL_HOLD_REASON_MAX_LENGTH} characters`, 'reason');
  }
}

/** What retention looks at in a recording. */
export interface RetentionSubject extends Pick<RecordingData, 'state' | 'startedAt' | 'stoppedAt'> {
  /** The server of the user who started it: the recording's owner. */
  ownerServerId: string;
  modeId: string | null;
  legalHold: boolean;
  filesDeleted: boolean;
}

/**
 * A policy naming the recording's server or mode wins over the global one. When a server policy
 * and a mode policy both apply, the one that keeps longer wins: a deletion cannot be undone.
 */
export function governingPolicy(subject: Pick<RetentionSubject, 'ownerServerId' | 'modeId'>, policies: readonly RetentionPolicyData[]): RetentionPolicyData | null {
  const enabled = policies.filter((p) => p.enabled);
  const specific = enabled.filter((p) => (p.scope === 'server' && p.serverId === subject.ownerServerId) || (p.scope === 'mode' && subject.modeId !== null && p.modeId === subject.modeId));
  if (specific.length > 0) return specific.reduce((a, b) => (b.keepDays > a.keepDays || (b.keepDays === a.keepDays && b.action === 'delete-files') ? b : a));
  return enabled.find((p) => p.scope === 'global') ?? null;
}

export type RetentionVerdict =
  | { expire: false; because: 'unfinished' | 'legal-hold' | 'no-policy' | 'not-due' | 'already-deleted' }
  | { expire: true; policy: RetentionPolicyData; dueAt: Date };

/** A recording's age counts from its stop: what is recorded today is kept keepDays from today. */
export function retentionVerdict(subject: RetentionSubject, policies: readonly RetentionPolicyData[], now: Date): RetentionVerdict {
  if (isLive(subject) || subject.state === 'processing') return { expire: false, because: 'unfinished' };
  if (subject.legalHold) return { expire: false, because: 'legal-hold' };
  const policy = governingPolicy(subject, policies);
  if (!policy) return { expire: false, because: 'no-policy' };
  if (subject.filesDeleted && policy.action === 'delete-files') return { expire: false, because: 'already-deleted' };
  const dueAt = new Date((subject.stoppedAt ?? subject.startedAt).getTime() + policy.keepDays * DAY_MS);
  if (now < dueAt) return { expire: false, because: 'not-due' };
  return { expire: true, policy, dueAt };
}

/** Recordings stopped after this moment cannot be due under any of the policies (null: none is on). */
export function retentionCutoff(policies: readonly RetentionPolicyData[], now: Date): Date | null {
  const days = policies.filter((p) => p.enabled).map((p) => p.keepDays);
  return days.length > 0 ? new Date(now.getTime() - Math.min(...days) * DAY_MS) : null;
}
