/** The request carries no valid token: unknown server, bad signature, expired or malformed. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}
