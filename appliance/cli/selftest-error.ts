/** A self-test that cannot go on, with a message meant for whoever runs it: printed without a stack. */
export class SelftestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelftestError';
  }
}
