import crypto from 'node:crypto';

export interface SignedLink {
  url: string;
  expiresAt: Date;
}

/** A link that is not honoured: not a link at all (404), forged or altered (403), or past its expiry (410). */
export class LinkRefusal extends Error {
  readonly status: 403 | 404 | 410;
  readonly code: string;

  constructor(kind: 'malformed' | 'tampered' | 'expired') {
    const refusals = {
      malformed: [404, 'not_found', 'this is not a download link of this appliance: it may have been cut off; copy the whole link'],
      tampered: [403, 'link_invalid', 'this download link is not valid: it was altered; use the link as it was posted, or ask for a fresh one'],
      expired: [410, 'link_expired', 'this download link has expired: ask for a fresh one in the conference (POST /api/recordings/{recordingId}/links)'],
    } as const;
    const [status, code, message] = refusals[kind];
    super(message);
    this.status = status;
    this.code = code;
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TOKEN = new RegExp(`^(${UUID})(?:\\.(${UUID}))?\\.(\\d{1,12})\\.([A-Za-z0-9_-]{43})$`);

/**
 * What a download link says of itself, unchecked: the file it names and the name it offers. For
 * the appliance's clients (the self-test), which must match links to files; the appliance itself
 * trusts a link only through `verify`.
 */
export function readDownloadLink(url: string): { fileId: string; name: string } {
  const segments = new URL(url).pathname.split('/');
  const match = TOKEN.exec(segments.at(-2) ?? '');
  if (!match) throw new LinkRefusal('malformed');
  return { fileId: match[1]!, name: decodeURIComponent(segments.at(-1)!) };
}

/**
 * Download links are `/d/<file id>.<expiry>.<signature>/<name>`. The signature, an HMAC-SHA256 of
 * the file id and the expiry with the appliance's key, makes links unforgeable and lets them expire
 * without a table of links; the trailing name is for people and plays no part. A link issued to a
 * signed-in user names them too (`<file id>.<user id>.<expiry>.<signature>`), so that a browser or
 * player can follow it under a rule that must know who downloads, without a token in the URL.
 */
export class DownloadLinks {
  readonly #key: string;
  readonly #publicUrl: string;
  readonly #ttlMs: number;
  readonly #clock: () => Date;

  constructor(deps: { key: string; publicUrl: string; ttlHours: number; clock: () => Date }) {
    this.#key = deps.key;
    this.#publicUrl = deps.publicUrl;
    this.#ttlMs = deps.ttlHours * 3_600_000;
    this.#clock = deps.clock;
  }

  sign(fileId: string, name: string, viewerId?: string): SignedLink {
    const expires = Math.floor((this.#clock().getTime() + this.#ttlMs) / 1000);
    const signed = `${[fileId, viewerId].filter(Boolean).join('.')}.${expires}`;
    return { url: `${this.#publicUrl}/d/${signed}.${this.#signature(signed)}/${encodeURIComponent(name)}`, expiresAt: new Date(expires * 1000) };
  }

  /** How long a link works from when it is signed. */
  get lifeMs(): number {
    return this.#ttlMs;
  }

  /** The file a link names, and the user it was issued to (if any), once its signature and expiry are checked. */
  verify(token: string): { fileId: string; viewerId: string | null } {
    const { fileId, viewerId, expiresAt } = this.#genuine(token);
    if (expiresAt.getTime() <= this.#clock().getTime()) throw new LinkRefusal('expired');
    return { fileId, viewerId };
  }

  /** The file a posted link names and when it expires, if this appliance signed it; null otherwise. */
  expiryOf(url: string): { fileId: string; expiresAt: Date } | null {
    try {
      const { fileId, expiresAt } = this.#genuine(new URL(url).pathname.split('/').at(-2) ?? '');
      return { fileId, expiresAt };
    } catch (error) {
      if (error instanceof LinkRefusal || error instanceof TypeError) return null;
      throw error;
    }
  }

  #genuine(token: string): { fileId: string; viewerId: string | null; expiresAt: Date } {
    const match = TOKEN.exec(token);
    if (!match) throw new LinkRefusal('malformed');
    const [, fileId, viewerId, expires, signature] = match as unknown as [string, string, string | undefined, string, string];
    const expected = Buffer.from(this.#signature(token.slice(0, -signature.length - 1)));
    if (!crypto.timingSafeEqual(expected, Buffer.from(signature))) throw new LinkRefusal('tampered');
    return { fileId, viewerId: viewerId ?? null, expiresAt: new Date(Number(expires) * 1000) };
  }

  #signature(signed: string): string {
    return crypto.createHmac('sha256', this.#key).update(signed).digest('base64url');
  }
}
