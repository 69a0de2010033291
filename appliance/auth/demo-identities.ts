import crypto from 'node:crypto';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ServerKind } from '../domain/index.ts';
import { defaultServerRules } from '../domain/index.ts';
import { MessengerServer } from '../db/entities/index.ts';
import { secretFromFile } from '../access/secret-file.ts';
import { signUserToken } from './user-token.ts';

/**
 * Two messenger servers and a few users to try the appliance with, in the embedded configuration
 * only. Their keys derive from a secret kept in the data directory, so the sign-in CLI can sign
 * tokens without opening the database.
 */
export const DEMO_SERVERS: Record<ServerKind, { id: string; name: string }> = {
  corporate: { id: '5e1f0c1e-0000-4000-8000-00000000c0de', name: 'Демо: корпоративный сервер' },
  regional: { id: '5e1f0c1e-0000-4000-8000-0000000000ea', name: 'Демо: региональный сервер' },
};

export interface DemoUser {
  sub: string;
  name: string;
  server: ServerKind;
}

export const DEMO_USERS: DemoUser[] = [
  { sub: 'alice', name: 'Алиса Петрова', server: 'corporate' },
  { sub: 'boris', name: 'Борис Смирнов', server: 'corporate' },
  { sub: 'vera', name: 'Вера Кузнецова', server: 'corporate' },
  { sub: 'roman', name: 'Роман Регионов', server: 'regional' },
  { sub: 'rita', name: 'Рита Соколова', server: 'regional' },
];

export async function demoSecret(dataDir: string): Promise<string> {
  return secretFromFile(path.join(dataDir, 'demo-secret'));
}

export function demoServerKey(secret: string, kind: ServerKind): string {
  return crypto.createHmac('sha256', secret).update(`demo-server:${kind}`).digest('base64url');
}

export async function seedDemoServers(orm: MikroORM, secret: string): Promise<void> {
  const em = orm.em.fork();
  for (const [kind, demo] of Object.entries(DEMO_SERVERS) as [ServerKind, (typeof DEMO_SERVERS)[ServerKind]][]) {
    const existing = await em.findOne(MessengerServer, demo.id);
    if (existing) {
      existing.tokenKey = demoServerKey(secret, kind);
      continue;
    }
    const rules = defaultServerRules(kind);
    em.create(MessengerServer, { id: demo.id, name: demo.name, kind, tokenKey: demoServerKey(secret, kind), mayControlRecording: rules.mayControlRecording, downloadPolicy: rules.downloadPolicy, createdAt: new Date() });
  }
  await em.flush();
}

export async function demoToken(secret: string, user: DemoUser): Promise<string> {
  return signUserToken({ sub: user.sub, name: user.name, server: DEMO_SERVERS[user.server].id }, demoServerKey(secret, user.server));
}
