import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FinishedRecording, RecordingBackend, RecordingTarget } from '../../appliance/recorder/recording-backend.ts';
import type { TestAppliance, TestUser } from '../helpers/test-appliance.ts';

/**
 * Stands in for the media pipelines: at stop it writes a video and an audio file of known content
 * for the recording, none for a conference titled "… без файлов" (a failed recording). `hold()`
 * keeps the next finishes waiting, so the processing state can be seen.
 */
export class FileWritingBackend implements RecordingBackend {
  readonly name = 'file-writing';
  readonly #recordingsDir: () => string;
  #gate: Promise<void> = Promise.resolve();

  constructor(recordingsDir: () => string) {
    this.#recordingsDir = recordingsDir;
  }

  async start(): Promise<void> {}

  async pause(): Promise<void> {}

  async resume(): Promise<void> {}

  /** Finishing waits until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.#gate = new Promise((resolve) => (release = resolve));
    return release;
  }

  async finish(target: RecordingTarget): Promise<FinishedRecording> {
    await this.#gate;
    if (target.conferenceTitle.endsWith('без файлов')) return { files: [], problem: null };
    const dir = path.join(this.#recordingsDir(), target.recordingId);
    await fs.mkdir(dir, { recursive: true });
    const video = crypto.randomBytes(50_000);
    const audio = video.subarray(0, 2_000);
    await fs.writeFile(path.join(dir, 'video.mp4'), video);
    await fs.writeFile(path.join(dir, 'audio.m4a'), audio);
    return {
      files: [
        { kind: 'video', path: `${target.recordingId}/video.mp4`, sizeBytes: video.length, durationMs: 4000, codecs: ['hevc', 'aac'] },
        { kind: 'audio', path: `${target.recordingId}/audio.m4a`, sizeBytes: audio.length, durationMs: 4000, codecs: ['aac'] },
      ],
      problem: null,
    };
  }
}

export interface FinishedConference {
  conferenceId: string;
  recordingId: string;
  /** The download links of the Recordings Bot's message, video first. */
  links: string[];
}

/** `starter` creates a conference, the `joiners` join and agree, and one recording is made and finished. */
export async function recordConference(a: TestAppliance, starter: TestUser, joiners: TestUser[], title: string): Promise<FinishedConference> {
  const conferenceId = (await a.as(starter).post('/api/conferences', { title }).expect(201)).body.id as string;
  for (const joiner of joiners) await a.as(joiner).post(`/api/conferences/${conferenceId}/join`).expect(200);
  return recordAgain(a, starter, conferenceId);
}

/** One more recording in the conference, started and stopped by `starter`. */
export async function recordAgain(a: TestAppliance, starter: TestUser, conferenceId: string): Promise<FinishedConference> {
  const started = (await a.as(starter).post(`/api/conferences/${conferenceId}/recording/start`).expect(200)).body;
  await a.as(starter).post(`/api/conferences/${conferenceId}/recording/stop`).expect(200);
  await a.appliance.finisher.settle();
  const chat = (await a.as(starter).get(`/api/conferences/${conferenceId}/chat`).expect(200)).body as Array<{ text: string; links: Array<{ url: string }> }>;
  // Messages made at one instant of a manual clock come in any order: pick this recording's by its number.
  const message = chat.find((m) => m.text.startsWith(`Запись №${started.recording.number} `))!;
  return { conferenceId, recordingId: started.recording.id as string, links: message.links.map((l) => l.url) };
}

/** The path and query of a link, for supertest. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export async function auditEntries(a: TestAppliance, action: string): Promise<Array<{ actor_user_id: string | null; recording_id: string | null; details: Record<string, unknown> }>> {
  return a.appliance.orm.em.fork().getConnection().execute('select actor_user_id, recording_id, details from audit_log where action = ? order by id', [action]);
}
