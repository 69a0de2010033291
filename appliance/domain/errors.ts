/**
 * Refusals of the domain rules. Each carries a stable code that the API maps to an HTTP status, and a
 * message written for the person who asked (it is shown to them as is).
 */
export type DomainErrorCode = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'confirmation_pending' | 'limit_reached';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
    this.name = new.target.name;
  }
}

/** The request itself is malformed or out of range. */
export class InvalidInputError extends DomainError {
  readonly code = 'invalid';
}

/** The actor is known but may not do this. */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

/** The action does not fit the current state (e.g. pausing a paused recording). */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** An admin asked to confirm a recording acts on it before answering: the web dialog blocks the same. */
export class ConfirmationPendingError extends DomainError {
  readonly code = 'confirmation_pending';
}
