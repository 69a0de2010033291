import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Actor, RecordingAudience } from '../domain/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, assertFilesDownloadable, downloadDecision, postedLinkDue } from '../domain/index.ts';
import type { ChatMessageView } from '../events/appliance-event.ts';
import { AuditEntry, Conference, MessengerServer, Participant, Recording, RecordingExpiry, RecordingFile, User } from '../db/entities/index.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { serverData } from '../auth/authenticator.ts';
import { UnauthenticatedError } from '../auth/errors.ts';
import { downloadName } from '../recorder/recording-finisher.ts';
import type { DownloadLinks, SignedLink } from './download-links.ts';
import { LinkRefusal } from './download-links.ts';

/** A download that is not served, with the status and words the person following the link gets. */
export class DownloadRefusal extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface AdmittedDownload {
  file: RecordingFile;
  recording: Recording;
  conference: Conference;
}

export interface FileLink {
  id: string;
  kind: RecordingFile['kind'];
  participantName: string | null;
  medium: RecordingFile['medium'];
  sizeBytes: number;
  durationMs: number | null;
  url: string;
}


/**
 * Stands between a download link and the file: the link must be genuine and current, the file still
 * kept, and whoever follows it allowed by the rule of the server that owns the recording. Every
 * download let through is audited, with who (when known), which file and which byte range.
 */
export class DownloadGate {
  readonly #orm: MikroORM;
  readonly #links: DownloadLinks;
  readonly #authenticator: Authenticator;
  readonly #clock: () => Date;

  constructor(deps: { orm: MikroORM; links: DownloadLinks; authenticator: Authenticator; clock: () => Date }) {
    this.#orm = deps.orm;
    this.#links = deps.links;
    this.#authenticator = deps.authenticator;
    this.#clock = deps.clock;
  }

  /** `range` is the request's Range header: null for the whole file. */
  /**
   * `bearer` is the user token of the Authorization header; without one, a link issued to a
   * signed-in user downloads as that user.
   */
  async admit(token: string, bearer: string | undefined, range: string | null): Promise<AdmittedDownload> {
    let fileId: string;
    let viewerId: string | null;
    try {
      ({ fileId, viewerId } = this.#links.verify(token));
    } catch (error) {
      if (error instanceof LinkRefusal) throw new DownloadRefusal(error.status, error.code, error.message);
      throw error;
    }
    const em = this.#orm.em.fork();
    const file = await em.findOne(RecordingFile, fileId);
    if (!file) throw new DownloadRefusal(410, 'gone', 'this recording has been deleted from the appliance');
    const recording = await em.findOneOrFail(Recording, file.recordingId);
    const expiry = await em.findOne(RecordingExpiry, { recordingId: recording.id });
    if (expiry) throw new DownloadRefusal(410, 'gone', `the files of this recording were deleted on ${expiry.filesDeletedAt.toISOString().slice(0, 10)} under the retention policy`);
    const conference = await em.findOneOrFail(Conference, recording.conferenceId);
    let viewer: Actor | null = null;
    try {
      viewer = bearer ? await this.#authenticator.authenticate(bearer) : viewerId ? await this.#authenticator.knownActor(viewerId) : null;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw new DownloadRefusal(401, 'unauthenticated', error.message);
      throw error;
    }
    const audience = await this.#audience(em, recording, conference);
    const decision = downloadDecision(audience, viewer);
    if (!decision.allowed) {
      throw decision.because === 'sign-in' ? new DownloadRefusal(401, 'unauthenticated', decision.message) : new DownloadRefusal(403, 'forbidden', decision.message);
    }
    em.create(AuditEntry, {
      at: this.#clock(),
      action: 'recording.downloaded',
      actorUserId: viewer?.userId ?? null,
      actorName: viewer?.name ?? null,
      actorServerId: viewer?.server.id ?? null,
      conferenceId: conference.id,
      recordingId: recording.id,
      details: { fileId: file.id, path: file.path, kind: file.kind, range, policy: audience.owner.rules.downloadPolicy, identifiedBy: bearer ? 'header' : viewer ? 'link' : null },
    });
    await em.flush();
    return { file, recording, conference };
  }

  /** Fresh links for a signed-in user: anyone the owner server's rule lets download gets them. */
  async freshLinks(actor: Actor, recordingId: string): Promise<{ recordingId: string; expiresAt: string | null; files: FileLink[] }> {
    const em = this.#orm.em.fork();
    const recording = await em.findOne(Recording, recordingId);
    if (!recording) throw new NotFoundError('no such recording');
    const conference = await em.findOneOrFail(Conference, recording.conferenceId);
    const decision = downloadDecision(await this.#audience(em, recording, conference), actor);
    if (!decision.allowed) throw new ForbiddenError(decision.message);
    const expiry = await em.findOne(RecordingExpiry, { recordingId });
    assertFilesDownloadable(recording, expiry?.filesDeletedAt ?? null);
    const links = await this.fileLinks(em, recording, conference.title, actor.userId);
    this.#auditLinksIssued(em, actor, conference.id, recordingId, { files: links.files.length, expiresAt: links.expiresAt });
    await em.flush();
    return { recordingId, ...links };
  }

  /**
   * The chat as `reader` reads it: the bot's links that have expired, or soon will, freshly signed
   * where the rules let them download (each renewal audited); the stored messages stay as posted.
   */
  async withWorkingLinks(reader: Actor, conferenceId: string, messages: ChatMessageView[]): Promise<ChatMessageView[]> {
    const now = this.#clock();
    const due = new Map<string, string>();
    for (const message of messages) {
      if (!message.bot) continue;
      for (const link of message.links) {
        const expiry = this.#links.expiryOf(link.url);
        if (expiry && postedLinkDue({ expiresAt: expiry.expiresAt, linkLifeMs: this.#links.lifeMs }, now)) due.set(link.url, expiry.fileId);
      }
    }
    if (due.size === 0) return messages;
    const em = this.#orm.em.fork();
    const conference = await em.findOneOrFail(Conference, conferenceId);
    const fresh = new Map<string, string>();
    const renewed = new Map<string, { files: number; expiresAt: string }>();
    const allowed = new Map<string, Promise<boolean>>();
    for (const [url, fileId] of due) {
      const file = await em.findOne(RecordingFile, fileId);
      const recording = file && (await em.findOne(Recording, { id: file.recordingId, conferenceId }));
      if (!file || !recording) continue;
      if (!allowed.has(recording.id)) allowed.set(recording.id, this.#mayDownload(em, reader, recording, conference));
      if (!(await allowed.get(recording.id))) continue;
      const link = this.#sign(file, recording, conference.title, reader.userId);
      fresh.set(url, link.url);
      renewed.set(recording.id, { files: (renewed.get(recording.id)?.files ?? 0) + 1, expiresAt: link.expiresAt.toISOString() });
    }
    for (const [recordingId, issued] of renewed) this.#auditLinksIssued(em, reader, conferenceId, recordingId, { ...issued, in: 'chat' });
    await em.flush();
    return messages.map((message) => (message.bot ? { ...message, links: message.links.map((link) => ({ ...link, url: fresh.get(link.url) ?? link.url })) } : message));
  }

  /** Signed links to every file of the recording, as they would be posted now, or issued to `viewerId`. */
  async fileLinks(em: EntityManager, recording: Recording, conferenceTitle: string, viewerId?: string): Promise<{ expiresAt: string | null; files: FileLink[] }> {
    const files = await em.find(RecordingFile, { recordingId: recording.id }, { orderBy: { createdAt: 'asc', path: 'asc' } });
    const signed = files.map((file) => ({ file, link: this.#sign(file, recording, conferenceTitle, viewerId) }));
    return {
      expiresAt: signed[0]?.link.expiresAt.toISOString() ?? null,
      files: signed.map(({ file, link }) => ({ id: file.id, kind: file.kind, participantName: file.participantName, medium: file.medium, sizeBytes: file.sizeBytes, durationMs: file.durationMs, url: link.url })),
    };
  }

  #auditLinksIssued(em: EntityManager, actor: Actor, conferenceId: string, recordingId: string, details: Record<string, unknown>): void {
    em.create(AuditEntry, { at: this.#clock(), action: 'recording.links_issued', actorUserId: actor.userId, actorName: actor.name, actorServerId: actor.server.id, conferenceId, recordingId, details });
  }

  async #mayDownload(em: EntityManager, reader: Actor, recording: Recording, conference: Conference): Promise<boolean> {
    if (!downloadDecision(await this.#audience(em, recording, conference), reader).allowed) return false;
    const expiry = await em.findOne(RecordingExpiry, { recordingId: recording.id });
    try {
      assertFilesDownloadable(recording, expiry?.filesDeletedAt ?? null);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  #sign(file: RecordingFile, recording: Recording, conferenceTitle: string, viewerId?: string): SignedLink {
    return this.#links.sign(file.id, downloadName(conferenceTitle, recording.startedAt, recording.number, file.path), viewerId);
  }

  async #audience(em: EntityManager, recording: Recording, conference: Conference): Promise<RecordingAudience> {
    const starter = await em.findOneOrFail(User, recording.startedBy);
    const owner = serverData(await em.findOneOrFail(MessengerServer, starter.serverId));
    const participants = await em.find(Participant, { conferenceId: conference.id });
    return { owner, conferenceTitle: conference.title, participantUserIds: new Set(participants.map((p) => p.userId)) };
  }
}
