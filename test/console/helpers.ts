import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { ConsoleRole } from '../../appliance/domain/console.ts';
import type { RecordingFileKind } from '../../appliance/domain/index.ts';
import { Recording, RecordingFile } from '../../appliance/db/entities/index.ts';
import { saveConsoleUser } from '../../console/auth/console-users.ts';
import type { TestAppliance } from '../helpers/test-appliance.ts';

export interface ConsoleAccount {
  email: string;
  password: string;
}

/** A console user of its own for each test, so tests in a file never share a sign-in or a rate limit. */
export async function consoleAccount(a: TestAppliance, role: ConsoleRole): Promise<ConsoleAccount> {
  const account = { email: `${role}-${crypto.randomUUID().slice(0, 8)}@example.org`, password: `Pass phrase ${crypto.randomUUID().slice(0, 8)}` };
  await saveConsoleUser(a.appliance.orm, { ...account, role });
  return account;
}

/** An agent that keeps the session cookie of a successful sign-in. */
export async function signedIn(a: TestAppliance, account: ConsoleAccount): Promise<TestAgent> {
  const agent = request.agent(a.url);
  await agent.post('/admin/login').type('form').send(account).expect(302).expect('Location', '/admin');
  return agent;
}

/**
 * One signed-in admin and one auditor per test file, made on first use: signing in costs two bcrypt
 * rounds, which add up when every test does it.
 */
export function consoleAgents(app: () => TestAppliance): Record<ConsoleRole, () => Promise<TestAgent>> {
  const agents = new Map<ConsoleRole, Promise<TestAgent>>();
  const agent = (role: ConsoleRole) => () => {
    if (!agents.has(role)) agents.set(role, consoleAccount(app(), role).then((account) => signedIn(app(), account)));
    return agents.get(role)!;
  };
  return { admin: agent('admin'), auditor: agent('auditor') };
}

/** The flat params AdminJS forms send, as strings the way a browser sends them. */
export function form(values: Record<string, string | number | boolean | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === null ? '__FORM_VALUE_NULL__' : String(value)]));
}

export interface SeededRecording {
  conferenceId: string;
  recordingId: string;
  files: RecordingFile[];
}

/**
 * A conference with one finished recording, made through the API. The appliance under test records
 * no media, so when `files` are given they are written to the recordings folder and the recording is
 * marked ready, as the pipelines would leave it.
 */
export async function finishedRecording(a: TestAppliance, title: string, files: Array<{ name: string; kind: RecordingFileKind; bytes: number; codecs: string[] }> = []): Promise<SeededRecording> {
  const user = await a.user(a.servers.corporate, `starter-${crypto.randomUUID().slice(0, 8)}`, 'Алиса Петрова');
  const conferenceId = (await a.as(user).post('/api/conferences', { title }).expect(201)).body.id as string;
  await a.as(user).post(`/api/conferences/${conferenceId}/recording/start`).expect(200);
  await a.as(user).post(`/api/conferences/${conferenceId}/recording/stop`).expect(200);
  await a.appliance.finisher.settle();
  const em = a.appliance.orm.em.fork();
  const recording = await em.findOneOrFail(Recording, { conferenceId });
  const rows: RecordingFile[] = [];
  for (const file of files) {
    const content = crypto.randomBytes(file.bytes);
    const relative = `${recording.id}/${file.name}`;
    await fs.mkdir(path.join(a.appliance.config.recordingsDir, recording.id), { recursive: true });
    await fs.writeFile(path.join(a.appliance.config.recordingsDir, relative), content);
    rows.push(
      em.create(RecordingFile, {
        id: crypto.randomUUID(),
        recordingId: recording.id,
        kind: file.kind,
        path: relative,
        sizeBytes: file.bytes,
        durationMs: 61_000,
        codecs: file.codecs,
        sha256: crypto.createHash('sha256').update(content).digest('hex'),
      }),
    );
  }
  if (files.length > 0) {
    recording.state = 'ready';
    recording.problem = null;
  }
  await em.flush();
  return { conferenceId, recordingId: recording.id, files: rows };
}
