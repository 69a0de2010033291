import type { ApiClient } from '../api/api-client.ts';
import type { LiveConnection } from '../api/live-connection.ts';
import type { Me } from '../api/types.ts';
import type { Notices } from '../ui/notices.ts';

/** What every signed-in screen works with. */
export interface AppContext {
  api: ApiClient;
  live: LiveConnection;
  me: Me;
  notices: Notices;
  /** Goes to a route of the client (`#/`, `#/c/<id>`), re-entering it when already there. */
  navigate(hash: string): void;
}

export interface Screen {
  readonly element: HTMLElement;
  /** A full-window screen (the conference) hides the page header. */
  readonly fullWindow?: boolean;
  dispose(): void;
}
