import type { MikroORM } from '@mikro-orm/postgresql';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/index.ts';
import { Conference, Participant } from '../db/entities/index.ts';
import type { EventBus } from '../events/event-bus.ts';

/**
 * Who may take part in a conference's media: its participants who are present (joined through
 * the REST API and not left). Every media request asks, so the answer is cached per active
 * conference: the present user ids are read once, then kept current by the join and leave
 * events, which are published only after their transaction committed.
 */
export class ParticipantGate {
  readonly #orm: MikroORM;
  readonly #present = new Map<string, Promise<Set<string>>>();
  readonly #unsubscribe: () => void;

  constructor(orm: MikroORM, bus: EventBus) {
    this.#orm = orm;
    this.#unsubscribe = bus.subscribe((event) => {
      // Applied after a pending read, which may predate the event; adding or removing twice is harmless.
      const present = this.#present.get(event.conferenceId);
      if (event.type === 'participant.joined') present?.then((users) => users.add(event.userId), () => {});
      else if (event.type === 'participant.left') present?.then((users) => users.delete(event.userId), () => {});
      else if (event.type === 'conference.ended') this.#present.delete(event.conferenceId);
    });
  }

  async assertPresent(conferenceId: string, userId: string): Promise<void> {
    const present = await this.#presentIn(conferenceId);
    if (!present.has(userId)) throw new ForbiddenError('you are not in this conference: join it first (POST /api/conferences/{id}/join)', 'conferenceId');
  }

  close(): void {
    this.#unsubscribe();
    this.#present.clear();
  }

  #presentIn(conferenceId: string): Promise<Set<string>> {
    let present = this.#present.get(conferenceId);
    if (!present) {
      present = this.#read(conferenceId);
      this.#present.set(conferenceId, present);
      // Unknown and ended conferences are not kept: only active ones have a cache to maintain.
      present.catch(() => {
        if (this.#present.get(conferenceId) === present) this.#present.delete(conferenceId);
      });
    }
    return present;
  }

  async #read(conferenceId: string): Promise<Set<string>> {
    const em = this.#orm.em.fork();
    const conference = await em.findOne(Conference, conferenceId, { fields: ['state'] });
    if (!conference) throw new NotFoundError('no such conference', 'conferenceId');
    if (conference.state !== 'active') throw new ConflictError('the conference has ended', 'conferenceId');
    const participants = await em.find(Participant, { conferenceId, present: true }, { fields: ['userId'] });
    return new Set(participants.map((participant) => participant.userId));
  }
}
