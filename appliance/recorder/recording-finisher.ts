import crypto from 'node:crypto';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { assertRecordingMessageRepostable } from '../domain/console.ts';
import { composeRecordingMessage, finishProcessing } from '../domain/index.ts';
import type { RecordingData } from '../domain/index.ts';
import { AuditEntry, Conference, Recording, RecordingFile } from '../db/entities/index.ts';
import type { ApplianceEvent } from '../events/appliance-event.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { DownloadLinks } from '../access/download-links.ts';
import type { RecordingsBot } from '../bot/recordings-bot.ts';
import { JoinError } from '../../pipelines/index.ts';
import { fillMissingChecksums } from './file-checksums.ts';
import type { FinishedRecording, RecordingBackend, RecordingTarget } from './recording-backend.ts';

/** How long a recording whose files could not be made (no space left) waits before the next try. */
const DEFAULT_JOIN_RETRY_MS = 30_000;

/** A safe, readable download name: conference title, date and what the file is. */
export function downloadName(title: string, startedAt: Date, number: number, filePath: string): string {
  const safeTitle = [...title].map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? ' ' : ch)).join('').replace(/\s+/g, ' ').trim().slice(0, 80) || 'conference';
  const date = startedAt.toISOString().slice(0, 16).replace('T', ' ').replace(':', '-');
  return `${safeTitle} ${date} #${number} ${path.basename(filePath)}`;
}

/** The Recordings Bot's message for a finished recording: its words and one download link per file. */
export function recordingMessage(links: DownloadLinks, conferenceTitle: string, recording: RecordingData, files: RecordingFile[]) {
  return composeRecordingMessage({
    conferenceTitle,
    recording,
    files: files.map((file) => ({ ...file, url: links.sign(file.id, downloadName(conferenceTitle, recording.startedAt, recording.number, file.path)).url })),
  });
}

/**
 * Follows recordings through their life: tells the backend about start, pause and resume, and on
 * stop has it finish the files, stores them, has the Recordings Bot post the links, and then
 * computes the files' checksums.
 */
export class RecordingFinisher {
  readonly #orm: MikroORM;
  readonly #bus: EventBus;
  readonly #backend: RecordingBackend;
  readonly #bot: RecordingsBot;
  readonly #links: DownloadLinks;
  readonly #recordingsDir: string;
  readonly #joinRetryMs: number;
  /** Finishes waiting to be tried again after a failed join. */
  readonly #retries = new Set<NodeJS.Timeout>();
  readonly #pending = new Set<Promise<void>>();
  /** Each recording's backend calls run one after another, in the order of its events. */
  readonly #queues = new Map<string, Promise<void>>();
  #unsubscribe: (() => void) | undefined;

  constructor(deps: { orm: MikroORM; bus: EventBus; backend: RecordingBackend; bot: RecordingsBot; links: DownloadLinks; recordingsDir: string; joinRetryMs?: number }) {
    this.#orm = deps.orm;
    this.#bus = deps.bus;
    this.#backend = deps.backend;
    this.#bot = deps.bot;
    this.#links = deps.links;
    this.#recordingsDir = deps.recordingsDir;
    this.#joinRetryMs = deps.joinRetryMs ?? DEFAULT_JOIN_RETRY_MS;
  }

  /**
   * Listens for recording events. What a previous run left behind goes on: live recordings continue
   * in the backend, stopped ones are finished, files posted without a checksum get one.
   */
  async start(): Promise<void> {
    this.#unsubscribe = this.#bus.subscribe((event) => this.#onEvent(event));
    // A queue of its own, beside the recordings' queues: files of earlier runs still without a checksum.
    this.#enqueue('checksums', () => fillMissingChecksums(this.#orm, this.#recordingsDir));
    const left = await this.#orm.em.fork().find(Recording, { state: { $in: ['recording', 'paused', 'processing'] } });
    for (const recording of left) {
      if (recording.state === 'processing') {
        this.#enqueue(recording.id, () => this.#finish(recording.id));
        continue;
      }
      this.#enqueue(recording.id, async () => this.#backend.start(await this.#target(recording.id)));
      if (recording.state === 'paused') this.#enqueue(recording.id, () => this.#backend.pause(recording.id));
    }
  }

  /** Waits for finishing work under way (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    // A restart finishes every recording still processing, so no retry is lost.
    for (const retry of this.#retries) clearTimeout(retry);
    this.#retries.clear();
    await this.settle();
  }

  /** Posts a finished recording's message once more, with fresh links (asked for in the console). */
  async repostMessage(recordingId: string): Promise<void> {
    const em = this.#orm.em.fork();
    const recording = await em.findOneOrFail(Recording, recordingId);
    assertRecordingMessageRepostable(recording);
    const conference = await em.findOneOrFail(Conference, recording.conferenceId);
    const files = await em.find(RecordingFile, { recordingId }, { orderBy: { createdAt: 'asc', path: 'asc' } });
    const posted = recordingMessage(this.#links, conference.title, recording, files);
    await this.#bot.post({ conferenceId: conference.id, recordingId, ...posted });
  }

  #onEvent(event: ApplianceEvent): void {
    switch (event.type) {
      case 'recording.started':
        this.#enqueue(event.recordingId, async () => this.#backend.start(await this.#target(event.recordingId)));
        break;
      case 'recording.paused':
        this.#enqueue(event.recordingId, () => this.#backend.pause(event.recordingId));
        break;
      case 'recording.resumed':
        this.#enqueue(event.recordingId, () => this.#backend.resume(event.recordingId));
        break;
      case 'recording.stopped':
        this.#enqueue(event.recordingId, () => this.#finish(event.recordingId));
        break;
      default:
        break;
    }
  }

  #enqueue(recordingId: string, work: () => Promise<void>): void {
    const previous = this.#queues.get(recordingId) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(work)
      .catch((error) => console.error(`recording ${recordingId}:`, error))
      .finally(() => {
        this.#pending.delete(next);
        if (this.#queues.get(recordingId) === next) this.#queues.delete(recordingId);
      });
    this.#queues.set(recordingId, next);
    this.#pending.add(next);
  }

  async #target(recordingId: string): Promise<RecordingTarget> {
    const em = this.#orm.em.fork();
    const recording = await em.findOneOrFail(Recording, recordingId);
    const conference = await em.findOneOrFail(Conference, recording.conferenceId);
    return { recordingId, conferenceId: conference.id, conferenceTitle: conference.title, number: recording.number };
  }

  async #finish(recordingId: string): Promise<void> {
    const target = await this.#target(recordingId);
    let finished: FinishedRecording;
    try {
      finished = await this.#backend.finish(target);
    } catch (error) {
      if (!(error instanceof JoinError)) throw error;
      // Most often the disk is full: the recording stays «processing» with everything kept, and
      // is finished once a join succeeds, without anyone having to ask.
      console.error(`recording ${recordingId}: its files could not be made (${error.message}); trying again in ${Math.round(this.#joinRetryMs / 1000)} s`);
      const retry = setTimeout(() => {
        this.#retries.delete(retry);
        this.#enqueue(recordingId, () => this.#finish(recordingId));
      }, this.#joinRetryMs);
      this.#retries.add(retry);
      return;
    }
    const em = this.#orm.em.fork();
    let posted: { text: string; links: { label: string; url: string }[] } | undefined;
    await em.transactional(async (tx) => {
      const recording = await tx.findOneOrFail(Recording, recordingId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (recording.state !== 'processing') return;
      const files = finished.files.map((file) =>
        tx.create(RecordingFile, { id: crypto.randomUUID(), recordingId, createdAt: new Date(), ...file, participantName: file.participantName ?? null, medium: file.medium ?? null }),
      );
      finishProcessing(recording, { fileCount: files.length, problem: finished.problem, recordedMs: finished.recordedMs, interruptions: finished.interruptions });
      posted = recordingMessage(this.#links, target.conferenceTitle, recording, files);
      tx.create(AuditEntry, { at: new Date(), action: files.length > 0 ? 'recording.ready' : 'recording.failed', conferenceId: target.conferenceId, recordingId, details: { files: files.length, problem: finished.problem } });
    });
    if (!posted) return;
    // The recording is ready whether or not every chat took the message: webhooks must hear of it,
    // and the message can be posted again from the console.
    const botFailure = await this.#bot.post({ conferenceId: target.conferenceId, recordingId, ...posted }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const recording = await this.#orm.em.fork().findOneOrFail(Recording, recordingId);
    this.#bus.publish([
      recording.state === 'ready'
        ? { type: 'recording.ready', conferenceId: target.conferenceId, recordingId, links: posted.links }
        : { type: 'recording.failed', conferenceId: target.conferenceId, recordingId, problem: recording.problem ?? 'no files' },
    ]);
    if (botFailure) console.error(`recording ${recordingId}: the Recordings Bot's message was not posted everywhere (the console can post it again):`, botFailure);
    await fillMissingChecksums(this.#orm, this.#recordingsDir, recordingId);
  }
}
