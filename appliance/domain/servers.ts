import { InvalidInputError } from './errors.ts';

/** Messenger servers whose users join conferences: the customer's own, or a regional public one. */
export type ServerKind = 'corporate' | 'regional';

/** Who may download a recording through its link (the manual's first stage is `anyone-with-link`). */
export type DownloadPolicy = 'anyone-with-link' | 'participants' | 'same-server';

export const SERVER_KINDS: readonly ServerKind[] = ['corporate', 'regional'];
export const DOWNLOAD_POLICIES: readonly DownloadPolicy[] = ['anyone-with-link', 'participants', 'same-server'];

export interface ServerRules {
  /** Whether this server's users may start, pause, resume and stop recordings when they are admins. */
  mayControlRecording: boolean;
  downloadPolicy: DownloadPolicy;
}

export interface ServerData {
  id: string;
  name: string;
  kind: ServerKind;
  rules: ServerRules;
}

/**
 * The manual: a user from a regional server cannot control recording even as an admin. That is the
 * default for regional servers; the console may change a server's rules.
 */
export function defaultServerRules(kind: ServerKind): ServerRules {
  return {
    mayControlRecording: kind === 'corporate',
    downloadPolicy: 'anyone-with-link',
  };
}

export function validateServerInput(input: { name?: unknown; kind?: unknown; downloadPolicy?: unknown }): void {
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.trim().length === 0 || input.name.length > 200)) {
    throw new InvalidInputError('a server name is 1 to 200 characters', 'name');
  }
  if (input.kind !== undefined && !SERVER_KINDS.includes(input.kind as ServerKind)) {
    throw new InvalidInputError(`a server kind is one of: ${SERVER_KINDS.join(', ')}`, 'kind');
  }
  if (input.downloadPolicy !== undefined && !DOWNLOAD_POLICIES.includes(input.downloadPolicy as DownloadPolicy)) {
    throw new InvalidInputError(`a download policy is one of: ${DOWNLOAD_POLICIES.join(', ')}`, 'downloadPolicy');
  }
}
