/** Who may be recorded: everyone, or in an only-consenting recording, those who said yes. */
export class ParticipantConsent {
  readonly #onlyConsenting: boolean;
  readonly #consenting = new Set<string>();

  constructor(onlyConsenting: boolean) {
    this.#onlyConsenting = onlyConsenting;
  }

  /** Returns whether the answer changed who may be recorded. */
  set(participantId: string, consented: boolean): boolean {
    const before = this.mayRecord(participantId);
    if (consented) this.#consenting.add(participantId);
    else this.#consenting.delete(participantId);
    return before !== this.mayRecord(participantId);
  }

  mayRecord(participantId: string): boolean {
    return !this.#onlyConsenting || this.#consenting.has(participantId);
  }
}
