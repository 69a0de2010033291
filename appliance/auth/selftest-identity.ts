import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MessengerServer } from '../db/entities/index.ts';
import { secretFromFile } from '../access/secret-file.ts';
import { signUserToken } from './user-token.ts';

/**
 * The messenger server the self-test's synthetic participants come from. The self-test registers
 * it itself, in the appliance's database, with a key kept in the appliance's data directory: only
 * someone who can already read the appliance's secrets and write its database (its service user,
 * or root, on its own host) can sign its tokens, so it opens nothing to anyone else. The appliance
 * knows it by its fixed id, the one identity allowed to feed synthetic media (sfu/ingest-routes.ts).
 */
export const SELFTEST_SERVER = { id: '5e1f7e57-0000-4000-8000-00000000c0de', name: 'Самопроверка записи (служебный)' } as const;

export interface SelftestParticipant {
  sub: string;
  name: string;
}

export async function selftestSecret(dataDir: string): Promise<string> {
  return secretFromFile(path.join(dataDir, 'selftest-secret'));
}

/**
 * Registers the server, or puts back whatever the console changed about it: each run needs a
 * corporate server that may control recording, with this host's key and the chosen mode. Only the
 * conference's participants may download what it records.
 */
export async function registerSelftestServer(orm: MikroORM, secret: string, recordingModeId: string): Promise<void> {
  const em = orm.em.fork();
  const settings = { name: SELFTEST_SERVER.name, kind: 'corporate' as const, tokenKey: secret, mayControlRecording: true, downloadPolicy: 'participants' as const, defaultModeId: recordingModeId };
  const existing = await em.findOne(MessengerServer, SELFTEST_SERVER.id);
  if (existing) em.assign(existing, settings);
  else em.create(MessengerServer, { id: SELFTEST_SERVER.id, ...settings, createdAt: new Date() });
  await em.flush();
}

export async function selftestToken(secret: string, participant: SelftestParticipant, lifetimeSeconds: number): Promise<string> {
  return signUserToken({ sub: participant.sub, name: participant.name, server: SELFTEST_SERVER.id }, secret, lifetimeSeconds);
}
