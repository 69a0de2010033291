export type RecordedFileKind = 'video' | 'audio' | 'track' | 'manifest';

export interface RecordedFile {
  kind: RecordedFileKind;
  /** Absolute path. */
  path: string;
  /** Tracks only. */
  participantId?: string;
  participantName?: string;
  medium?: 'audio' | 'video';
  sizeBytes: number;
  durationMs: number;
  /** Codec names as ffprobe reports them, e.g. `hevc`, `aac`, `opus`, `vp8`. */
  codecs: string[];
}

export interface RecordingResult {
  files: RecordedFile[];
  /**
   * Time recorded, pauses excluded, by the worker's clock; after an interruption, the longest
   * file's duration, since the clock died with the worker.
   */
  recordedMs: number;
  /** The worker died or was killed; the files hold what reached the disk before. */
  interrupted: boolean;
  /** Things that went wrong without stopping the recording, in words for an operator. */
  problems: string[];
}
