import { ConflictError, InvalidInputError } from './errors.ts';
import type { RecordingData, RecordingState } from './recording.ts';

/** Who signs in to the administration console: admins change settings, auditors only read. */
export type ConsoleRole = 'admin' | 'auditor';

export const CONSOLE_ROLES: readonly ConsoleRole[] = ['admin', 'auditor'];

export function consoleRoleMayChange(role: ConsoleRole): boolean {
  return role === 'admin';
}

export const CONSOLE_PASSWORD_MIN_LENGTH = 12;
export const CONSOLE_PASSWORD_MAX_BYTES = 72;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Console users sign in by e-mail address, compared without regard to case. */
export function normaliseConsoleEmail(email: unknown): string {
  if (typeof email !== 'string' || !EMAIL.test(email.trim()) || email.trim().length > 254) {
    throw new InvalidInputError('an e-mail address such as admin@example.org is required', 'email');
  }
  return email.trim().toLowerCase();
}

/**
 * The console controls who may download every recording: its passwords must stand up to guessing
 * offline, so short ones, one-kind ones and ones built from the address are refused.
 */
export function validateConsolePassword(password: unknown, email: string): void {
  if (typeof password !== 'string' || password.length < CONSOLE_PASSWORD_MIN_LENGTH) {
    throw new InvalidInputError(`the password is too weak: use at least ${CONSOLE_PASSWORD_MIN_LENGTH} characters`, 'password');
  }
  const bytes = new TextEncoder().encode(password).length;
  if (bytes > CONSOLE_PASSWORD_MAX_BYTES) {
    // bcrypt looks at the first 72 bytes only; a longer password would be silently cut.
    throw new InvalidInputError(
      `the password is too long: use at most ${CONSOLE_PASSWORD_MAX_BYTES} bytes in UTF-8 (a Latin letter or digit takes 1, a Cyrillic letter 2); this one takes ${bytes}`,
      'password',
    );
  }
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((kind) => kind.test(password)).length;
  if (kinds < 3) {
    throw new InvalidInputError('the password is too weak: mix at least three of lower-case letters, capitals, digits and other characters', 'password');
  }
  const name = email.split('@')[0] ?? '';
  if (name.length >= 3 && password.toLowerCase().includes(name.toLowerCase())) {
    throw new InvalidInputError('the password is too weak: it must not contain the e-mail address', 'password');
  }
}

export function validateRecordingModeName(name: unknown): void {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100) {
    throw new InvalidInputError('a mode name is 1 to 100 characters', 'name');
  }
}

/**
 * A messenger server's token key is either a shared HS256 secret, long enough to resist guessing
 * (RFC 7518 asks for at least 256 bits), or the PEM public key of its RS256/ES256 signing key.
 */
export function validateServerTokenKey(key: unknown): void {
  if (typeof key !== 'string' || key.trim().length === 0) {
    throw new InvalidInputError('the token key is required: a shared secret or a PEM public key', 'tokenKey');
  }
  const trimmed = key.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    if (!trimmed.startsWith('-----BEGIN PUBLIC KEY-----') || !trimmed.endsWith('-----END PUBLIC KEY-----')) {
      throw new InvalidInputError('a PEM token key is a public key from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----', 'tokenKey');
    }
    return;
  }
  if (trimmed.length < 32) throw new InvalidInputError('a shared-secret token key is at least 32 characters', 'tokenKey');
}

/** Recordings whose files are still being written. */
export const UNFINISHED_RECORDING_STATES: readonly RecordingState[] = ['recording', 'paused', 'processing'];

export function isUnfinished(recording: Pick<RecordingData, 'state'>): boolean {
  return UNFINISHED_RECORDING_STATES.includes(recording.state);
}

/** Exactly one mode is the default: it stops being it only when another one becomes it. */
export function validateDefaultModeChange(wasDefault: boolean, isDefault: boolean): void {
  if (wasDefault && !isDefault) {
    throw new InvalidInputError('this is the default mode: make another mode the default instead', 'isDefault');
  }
}

export function assertRecordingModeDeletable(mode: { name: string; isDefault: boolean }, usage: { unfinishedRecordings: number; defaultOfServers: string[] }): void {
  if (mode.isDefault) throw new ConflictError(`«${mode.name}» is the default mode: make another mode the default first`);
  if (usage.unfinishedRecordings > 0) {
    throw new ConflictError(`«${mode.name}» is in use by ${usage.unfinishedRecordings} recording(s) under way: delete it once they have finished`);
  }
  if (usage.defaultOfServers.length > 0) {
    throw new ConflictError(`«${mode.name}» is the default mode of the server(s) ${usage.defaultOfServers.map((s) => `«${s}»`).join(', ')}: choose another mode for them first`);
  }
}

/** The people of a server stay in the conferences they took part in, so such a server stays too. */
export function assertServerDeletable(server: { name: string }, knownUsers: number): void {
  if (knownUsers > 0) throw new ConflictError(`«${server.name}» has ${knownUsers} user(s) known to the appliance: it cannot be deleted, change its key instead`);
}

export function assertRecordingDeletable(recording: Pick<RecordingData, 'state'>, legalHold: boolean): void {
  if (isUnfinished(recording)) throw new ConflictError('the recording is still under way: stop it and let it finish first');
  if (legalHold) throw new ConflictError('the recording is under legal hold: lift the hold first');
}

/** The bot's message names the final files, so it exists only once they are. */
export function assertRecordingMessageRepostable(recording: Pick<RecordingData, 'state'>): void {
  if (isUnfinished(recording)) throw new ConflictError('the recording has not finished yet: the bot posts its message when it does');
}

/** The recording rate is what the last week recorded, a day on average. */
export const RECORDING_RATE_WINDOW_DAYS = 7;

/** Days until the disk is full at the recent rate; null when nothing was recorded lately. */
export function daysOfRecordingLeft(freeBytes: number, recordedBytesInWindow: number): number | null {
  if (recordedBytesInWindow <= 0) return null;
  return freeBytes / (recordedBytesInWindow / RECORDING_RATE_WINDOW_DAYS);
}
