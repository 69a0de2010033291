import { DomainError } from './errors.ts';

/**
 * How much of the appliance one user may hold at once. Every media transport takes ports from one
 * range shared by all conferences and the recorder's taps, so without these one user could
 * exhaust it for everyone.
 */
export interface UsageLimits {
  /** Active conferences a user created and that have not ended yet. */
  openConferencesPerUser: number;
  /** Media transports of one participant in one conference. */
  transportsPerParticipant: number;
  /** Streams one participant receives in one conference. */
  consumersPerParticipant: number;
}

export const DEFAULT_USAGE_LIMITS: UsageLimits = {
  openConferencesPerUser: 10,
  // A send and a receive transport, plus a replacement of each while a client reconnects.
  transportsPerParticipant: 4,
  // Camera, microphone and screen of 60 others.
  consumersPerParticipant: 180,
};

/** A user holds as much as a usage limit allows; the refusal lifts once they let go of something. */
export class LimitReachedError extends DomainError {
  readonly code = 'limit_reached';
}

export function assertMayOpenConference(openConferences: number, limits: Pick<UsageLimits, 'openConferencesPerUser'>): void {
  if (openConferences >= limits.openConferencesPerUser) {
    throw new LimitReachedError(
      `you already have ${openConferences} open conferences, as many as one user may: a conference ends when its last participant leaves; leave one of yours before creating another`,
    );
  }
}

export function assertMayAddTransport(transports: number, limits: Pick<UsageLimits, 'transportsPerParticipant'>): void {
  if (transports >= limits.transportsPerParticipant) {
    throw new LimitReachedError(`you already have ${transports} media transports in this conference, as many as one participant may: close one first`);
  }
}

export function assertMayAddConsumer(consumers: number, limits: Pick<UsageLimits, 'consumersPerParticipant'>): void {
  if (consumers >= limits.consumersPerParticipant) {
    throw new LimitReachedError(`you already receive ${consumers} media streams in this conference, as many as one participant may: close a consumer first`);
  }
}
