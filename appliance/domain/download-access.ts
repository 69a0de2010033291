import { ConflictError } from './errors.ts';
import type { RecordingData } from './recording.ts';
import type { ServerData } from './servers.ts';

/**
 * The manual's second stage: who may use a recording's download link. The rule applied is that of
 * the server whose user started the recording: that organisation made the recording and owns it
 * (regional users cannot start recordings by default, so the owner is normally a corporate server).
 * The rule is read when a link is used, so tightening it also closes links already posted.
 */
export interface RecordingAudience {
  /** The server of the user who started the recording. */
  owner: Pick<ServerData, 'id' | 'name' | 'rules'>;
  conferenceTitle: string;
  /** Everyone who ever joined the conference, those who have left included. */
  participantUserIds: ReadonlySet<string>;
}

/** Whoever follows a link, as far as the request identifies them. */
export interface DownloadViewer {
  userId: string;
  server: Pick<ServerData, 'id' | 'name'>;
}

export type DownloadDecision =
  | { allowed: true }
  /** `sign-in`: nobody was identified and the rule needs someone; `refused`: this person may not. */
  | { allowed: false; because: 'sign-in' | 'refused'; message: string };

export function downloadDecision(audience: RecordingAudience, viewer: DownloadViewer | null): DownloadDecision {
  const signIn = 'open the link from the messenger while signed in, or ask for a fresh link there';
  switch (audience.owner.rules.downloadPolicy) {
    case 'anyone-with-link':
      return { allowed: true };
    case 'participants': {
      const whom = `the participants of «${audience.conferenceTitle}»`;
      if (!viewer) return { allowed: false, because: 'sign-in', message: `this recording is open to ${whom} only: ${signIn}` };
      if (audience.participantUserIds.has(viewer.userId)) return { allowed: true };
      return { allowed: false, because: 'refused', message: `this recording is open to ${whom} only, and you did not take part in it` };
    }
    case 'same-server': {
      const whom = `users of the server «${audience.owner.name}»`;
      if (!viewer) return { allowed: false, because: 'sign-in', message: `this recording is open to ${whom} only: ${signIn}` };
      if (viewer.server.id === audience.owner.id) return { allowed: true };
      return { allowed: false, because: 'refused', message: `this recording is open to ${whom} only; you signed in through «${viewer.server.name}»` };
    }
  }
}

/** Links exist only for a recording whose files are final and still on the appliance. */
export function assertFilesDownloadable(recording: Pick<RecordingData, 'state'>, filesDeletedAt: Date | null): void {
  if (filesDeletedAt) throw new ConflictError(`the files of this recording were deleted on ${filesDeletedAt.toISOString().slice(0, 10)} under the retention policy`);
  if (recording.state === 'failed') throw new ConflictError('this recording produced no files');
  if (recording.state !== 'ready') throw new ConflictError('the files of this recording are not ready yet');
}

/** Renewal keeps this much of a link's life ahead of whoever reads the chat: an hour, or half a short life. */
const RENEWAL_MARGIN_MS = 3_600_000;

/**
 * The chat keeps the bot's message as posted, but a participant who reads it must get links that
 * still work when clicked: a link expired, or expiring within the margin, is due to be shown freshly
 * signed — to a reader `downloadDecision` lets download the recording, while `assertFilesDownloadable`
 * holds. Anyone else sees it as posted, and following it tells them why it does not work.
 */
export function postedLinkDue(link: { expiresAt: Date; linkLifeMs: number }, now: Date): boolean {
  const margin = Math.min(RENEWAL_MARGIN_MS, link.linkLifeMs / 2);
  return link.expiresAt.getTime() - now.getTime() < margin;
}
