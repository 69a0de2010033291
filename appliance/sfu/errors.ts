import { ConflictError, ForbiddenError, NotFoundError } from '../domain/index.ts';

/**
 * The SFU's own failures. Refusals of a client's request reuse the domain's coded errors (invalid,
 * forbidden, not_found, conflict), so the WebSocket answers carry the same codes as the REST API.
 */

/** The worker binary was not built (or not where the service says): the SFU cannot start. */
export class WorkerBinaryMissingError extends Error {
  constructor(binary: string) {
    super(`the mediasoup worker is missing or not executable at ${binary}: run \`npm run setup\` (it builds the worker offline), or set MEDIASOUP_WORKER_BIN to a built worker`);
    this.name = 'WorkerBinaryMissingError';
  }
}

/** A request about a conference's media before `media.join` (or after leaving it). */
export class NotInMediaError extends ConflictError {
  constructor() {
    super('you have not joined this conference\'s media: send media.join first');
  }
}

/** The SFU is shutting down, or every worker died at once and none is back yet. */
export class MediaUnavailableError extends ConflictError {
  constructor(why: string) {
    super(`the media server is unavailable (${why}); try again shortly`);
  }
}

/** The recorder used an RTP tap after it closed (its producer or room went away, or it was closed). */
export class TapClosedError extends Error {
  constructor(producerId: string) {
    super(`the RTP tap of producer ${producerId} is closed`);
    this.name = 'TapClosedError';
  }
}

/** A tap used out of order: started before it was connected, or connected twice. */
export class TapStateError extends Error {
  constructor(producerId: string, problem: string) {
    super(`the RTP tap of producer ${producerId}: ${problem}`);
    this.name = 'TapStateError';
  }
}

/** A request reached a room that has just closed (it emptied, or its conference ended). */
export class RoomClosedError extends ConflictError {
  constructor() {
    super('the conference\'s media has closed: send media.join to enter it again');
  }
}

/** Synthetic media asked for by someone other than the self-test, or from off the host (see ingest-routes.ts). */
export class IngestRefusedError extends ForbiddenError {}

/** Closing a synthetic ingest that is not open, or not the caller's. */
export class UnknownIngestError extends NotFoundError {
  constructor(ingestId: string) {
    super(`no synthetic ingest ${ingestId} of yours is open in this conference`, 'ingestId');
  }
}

/** A participant already feeds this source and kind: one stream each is all a participant sends. */
export class IngestLimitError extends ConflictError {
  constructor(source: string, kind: string) {
    super(`you already feed ${kind} from a synthetic ${source} into this conference: close that ingest first`);
  }
}
