import type { RecordingFileKind } from '../domain/index.ts';

/** A file a backend finished, relative to the recordings directory. */
export interface FinishedFile {
  kind: RecordingFileKind;
  path: string;
  participantName?: string | null;
  medium?: 'audio' | 'video' | null;
  sizeBytes: number;
  durationMs: number | null;
  codecs: string[];
}

export interface FinishedRecording {
  files: FinishedFile[];
  /** What went wrong, in words for the chat; null when all went well. */
  problem: string | null;
  /**
   * How long the files are, pauses excluded: as the one pipeline that wrote them measured it, or
   * the joined files' length when the recording was interrupted; absent when not known (no media).
   */
  recordedMs?: number;
  /** How many times the recording was cut by a killed pipeline or appliance; what was lost meanwhile is left out of the files. */
  interruptions?: number;
}

export interface RecordingTarget {
  recordingId: string;
  conferenceId: string;
  conferenceTitle: string;
  number: number;
}

/** What turns a conference's media into files; the control plane drives it through these calls. */
export interface RecordingBackend {
  readonly name: string;
  start(target: RecordingTarget): Promise<void>;
  pause(recordingId: string): Promise<void>;
  resume(recordingId: string): Promise<void>;
  /** Ends the recording's media and returns its final files (also after a restart of the appliance). */
  finish(target: RecordingTarget): Promise<FinishedRecording>;
}

/** The backend of an appliance with no media plane attached: recordings carry no files. */
export class NoMediaBackend implements RecordingBackend {
  readonly name = 'none';

  async start(): Promise<void> {}

  async pause(): Promise<void> {}

  async resume(): Promise<void> {}

  async finish(): Promise<FinishedRecording> {
    return { files: [], problem: 'На этом сервере не подключена запись медиа.' };
  }
}
