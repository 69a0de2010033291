import { IngestLimitError, UnknownIngestError } from './errors.ts';
import type { Sfu } from './sfu.ts';
import type { IngestRequest, SyntheticIngest } from './synthetic-ingest.ts';

interface OpenIngest {
  conferenceId: string;
  userId: string;
  slot: string;
  ingest: SyntheticIngest;
  expiry: NodeJS.Timeout;
}

/**
 * The synthetic ingests opened over the API, each closable by whoever opened it. An ingest also
 * closes by itself at the end of the lifetime its caller asked for, so a self-test that dies midway
 * leaves no transport behind for longer than that; and it goes with its room, as any producer.
 */
export class SyntheticIngests {
  readonly #sfu: Sfu;
  readonly #open = new Map<string, OpenIngest>();
  /** Conference, user, source and kind of every ingest open or being opened: one stream each. */
  readonly #slots = new Set<string>();

  constructor(sfu: Sfu) {
    this.#sfu = sfu;
    sfu.on('producerRemoved', (producer) => this.#forget(producer.producerId));
  }

  async open(conferenceId: string, userId: string, request: IngestRequest, lifetimeMs: number): Promise<SyntheticIngest> {
    const slot = JSON.stringify([conferenceId, userId, request.source, request.kind]);
    if (this.#slots.has(slot)) throw new IngestLimitError(request.source, request.kind);
    this.#slots.add(slot);
    let ingest: SyntheticIngest;
    try {
      ingest = await this.#sfu.ingest(conferenceId, userId, request);
    } catch (error) {
      this.#slots.delete(slot);
      throw error;
    }
    const expiry = setTimeout(() => this.#close(ingest.producerId), lifetimeMs).unref();
    this.#open.set(ingest.producerId, { conferenceId, userId, slot, ingest, expiry });
    return ingest;
  }

  close(conferenceId: string, userId: string, ingestId: string): void {
    const entry = this.#open.get(ingestId);
    if (!entry || entry.conferenceId !== conferenceId || entry.userId !== userId) throw new UnknownIngestError(ingestId);
    this.#close(ingestId);
  }

  #close(ingestId: string): void {
    const entry = this.#open.get(ingestId);
    this.#forget(ingestId);
    entry?.ingest.close();
  }

  #forget(ingestId: string): void {
    const entry = this.#open.get(ingestId);
    if (!entry) return;
    clearTimeout(entry.expiry);
    this.#slots.delete(entry.slot);
    this.#open.delete(ingestId);
  }
}
