import type { ServerData } from './servers.ts';

/** A signed-in messenger user acting on the appliance, with the server that vouches for them. */
export interface Actor {
  userId: string;
  name: string;
  server: ServerData;
}

/** Everything a rule needs from the outside world, passed in so the rules stay free of I/O. */
export interface DomainContext {
  now: Date;
  newId(): string;
  /** The server of any participant of the conference at hand. */
  server(serverId: string): ServerData;
}
