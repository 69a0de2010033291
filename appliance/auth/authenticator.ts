import crypto from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Actor, ServerData } from '../domain/index.ts';
import { MessengerServer, User } from '../db/entities/index.ts';
import { UnauthenticatedError } from './errors.ts';
import { claimedServerId, verifyUserToken } from './user-token.ts';

export function serverData(server: MessengerServer): ServerData {
  return {
    id: server.id,
    name: server.name,
    kind: server.kind,
    rules: { mayControlRecording: server.mayControlRecording, downloadPolicy: server.downloadPolicy },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns a bearer token into the acting user, recording the user on first sight. */
export class Authenticator {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  async authenticate(token: string | undefined): Promise<Actor> {
    if (!token) throw new UnauthenticatedError('sign in first: no token was sent');
    const serverId = claimedServerId(token);
    if (!UUID.test(serverId)) throw new UnauthenticatedError(`the token's server "${serverId}" is not registered on this appliance`);
    const em = this.#orm.em.fork();
    const server = await em.findOne(MessengerServer, serverId);
    if (!server) throw new UnauthenticatedError(`the token's server "${serverId}" is not registered on this appliance`);
    const claims = await verifyUserToken(token, server.tokenKey);
    const user = await this.#rememberUser(server.id, claims.sub, claims.name);
    return { userId: user.id, name: user.name, server: serverData(server) };
  }

  /** A user already known here, as the actor they were when last seen; null for an unknown id. */
  async knownActor(userId: string): Promise<Actor | null> {
    const em = this.#orm.em.fork();
    const user = await em.findOne(User, userId);
    const server = user ? await em.findOne(MessengerServer, user.serverId) : null;
    return user && server ? { userId: user.id, name: user.name, server: serverData(server) } : null;
  }

  async #rememberUser(serverId: string, externalId: string, name: string): Promise<User> {
    const em = this.#orm.em.fork();
    const known = await em.findOne(User, { serverId, externalId });
    if (known) {
      if (known.name !== name || Date.now() - known.lastSeenAt.getTime() > 60_000) {
        known.name = name;
        known.lastSeenAt = new Date();
        await em.flush();
      }
      return known;
    }
    await em.getConnection().execute(
      'insert into users (id, server_id, external_id, name, last_seen_at) values (?, ?, ?, ?, now()) on conflict (server_id, external_id) do nothing',
      [crypto.randomUUID(), serverId, externalId, name],
    );
    return em.findOneOrFail(User, { serverId, externalId });
  }
}
