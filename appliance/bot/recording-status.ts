import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { NotFoundError } from '../domain/index.ts';
import { Conference, LegalHold, Recording, RecordingExpiry } from '../db/entities/index.ts';
import type { RecordingView } from '../conferences/views.ts';
import { conferenceSummary, recordingView } from '../conferences/views.ts';
import type { DownloadGate, FileLink } from '../access/download-gate.ts';

export interface RecordingStatus extends RecordingView {
  legalHold: boolean;
  filesDeletedAt: string | null;
  /** Signed links to the files of a ready recording; empty otherwise. */
  files: FileLink[];
  linksExpireAt: string | null;
}

/**
 * What chat bots are told about recordings, by the status API and in webhooks: state, the timer as
 * of now (pauses excluded; `runningSince` lets a bot run it between polls) and fresh links.
 */
export class RecordingStatusReader {
  readonly #orm: MikroORM;
  readonly #gate: DownloadGate;
  readonly #clock: () => Date;

  constructor(deps: { orm: MikroORM; gate: DownloadGate; clock: () => Date }) {
    this.#orm = deps.orm;
    this.#gate = deps.gate;
    this.#clock = deps.clock;
  }

  async conference(conferenceId: string) {
    const em = this.#orm.em.fork();
    const conference = await em.findOne(Conference, conferenceId);
    if (!conference) throw new NotFoundError('no such conference');
    const recordings = await em.find(Recording, { conferenceId }, { orderBy: { number: 'asc' } });
    const statuses = [];
    for (const recording of recordings) statuses.push(await this.#status(em, recording, conference.title));
    return { conference: conferenceSummary(conference), recordings: statuses };
  }

  async recording(recordingId: string) {
    const em = this.#orm.em.fork();
    const recording = await em.findOneOrFail(Recording, recordingId);
    const conference = await em.findOneOrFail(Conference, recording.conferenceId);
    return { conference: conferenceSummary(conference), recording: await this.#status(em, recording, conference.title) };
  }

  async #status(em: EntityManager, recording: Recording, conferenceTitle: string): Promise<RecordingStatus> {
    const hold = await em.count(LegalHold, { recordingId: recording.id });
    const expiry = await em.findOne(RecordingExpiry, { recordingId: recording.id });
    const links = recording.state === 'ready' && !expiry ? await this.#gate.fileLinks(em, recording, conferenceTitle) : { expiresAt: null, files: [] };
    return {
      ...recordingView(recording, this.#clock()),
      legalHold: hold > 0,
      filesDeletedAt: expiry?.filesDeletedAt.toISOString() ?? null,
      files: links.files,
      linksExpireAt: links.expiresAt,
    };
  }
}
