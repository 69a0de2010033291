import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FinishedRecording, RecordingBackend, RecordingTarget } from '../../appliance/recorder/recording-backend.ts';

/**
 * Writes a real file per recording at stop, standing in for the media pipelines, so the bot's
 * message, the stored metadata and the download links are checked end to end.
 */
export class FileWritingBackend implements RecordingBackend {
  readonly name = 'file-writing';
  readonly #recordingsDir: () => string;

  constructor(recordingsDir: () => string) {
    this.#recordingsDir = recordingsDir;
  }

  readonly calls: Array<[recordingId: string, call: string]> = [];
  /** The video file's bytes per recording; the audio file is its first 1000. */
  readonly written = new Map<string, Buffer>();

  async start(target: RecordingTarget) {
    this.calls.push([target.recordingId, 'start']);
  }

  async pause(recordingId: string) {
    this.calls.push([recordingId, 'pause']);
  }

  async resume(recordingId: string) {
    this.calls.push([recordingId, 'resume']);
  }

  async finish(target: RecordingTarget): Promise<FinishedRecording> {
    this.calls.push([target.recordingId, 'finish']);
    if (target.conferenceTitle.includes('без файлов')) return { files: [], problem: null };
    const content = crypto.randomBytes(200_000);
    const dir = path.join(this.#recordingsDir(), target.recordingId);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'video.mp4'), content);
    await fs.writeFile(path.join(dir, 'audio.m4a'), content.subarray(0, 1000));
    this.written.set(target.recordingId, content);
    return {
      files: [
        { kind: 'audio', path: `${target.recordingId}/audio.m4a`, sizeBytes: 1000, durationMs: 3000, codecs: ['aac'] },
        { kind: 'video', path: `${target.recordingId}/video.mp4`, sizeBytes: content.length, durationMs: 3000, codecs: ['hevc', 'aac'] },
      ],
      problem: null,
    };
  }
}
