import path from 'node:path';
import { RecordingParamsError, type ParamsProblem } from '../errors.ts';
import { HEVC_ENCODERS, isHevcEncoder } from '../encoders/hevcEncoders.ts';

export const RECORDING_KINDS = ['composite', 'audio-only', 'separate-tracks'] as const;
export type RecordingKind = (typeof RECORDING_KINDS)[number];

export const CONTAINERS = ['mp4', 'mkv'] as const;
export type Container = (typeof CONTAINERS)[number];

export const AUDIO_CODECS = ['aac', 'opus'] as const;
export type AudioCodec = (typeof AUDIO_CODECS)[number];

export interface RecordingMode {
  kind: RecordingKind;
  /** Canvas of the composite video; ignored by the other modes. */
  width: number;
  height: number;
  fps: number;
  videoBitrateKbps: number;
  container: Container;
  /** Codec of the mixed audio (composite, audio-only). */
  audioCodec: AudioCodec;
  /** Record a participant only after `setConsent(participantId, true)`. */
  onlyConsenting: boolean;
}

export interface RecordingParams {
  /** Letters, digits, `.`, `_`, `-`: it names files and in-process media channels. */
  recordingId: string;
  /** Absolute directory that receives the segments and the finished files. */
  outputDir: string;
  title: string;
  mode: RecordingMode;
  /** GStreamer element name of the HEVC encoder, normally `probeEncoders(...).chosen`. */
  encoder: string;
}

const LIMITS = {
  width: [160, 3840],
  height: [90, 2160],
  fps: [1, 60],
  videoBitrateKbps: [100, 50_000],
} as const;

const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_TITLE_LENGTH = 300;

/**
 * Checks a recording mode and returns it frozen; throws `RecordingParamsError` listing every
 * problem. Pure, so the console can validate its form with the same rules.
 */
export function validateRecordingMode(mode: unknown): Readonly<RecordingMode> {
  const problems = recordingModeProblems(mode, 'mode');
  if (problems.length > 0) throw new RecordingParamsError(problems);
  return Object.freeze({ ...(mode as RecordingMode) });
}

/** Checks the whole parameter object and returns a deep-frozen copy, the recording's only settings. */
export function validateRecordingParams(params: unknown): Readonly<RecordingParams> {
  if (!isRecord(params)) throw new RecordingParamsError([{ field: 'params', message: 'expected an object' }]);
  const problems: ParamsProblem[] = [];
  const { recordingId, outputDir, title, mode, encoder } = params;
  if (typeof recordingId !== 'string' || !ID_PATTERN.test(recordingId)) {
    problems.push({ field: 'recordingId', message: 'expected 1 to 128 letters, digits, ".", "_" or "-"' });
  }
  if (typeof outputDir !== 'string' || !path.isAbsolute(outputDir)) {
    problems.push({ field: 'outputDir', message: 'expected an absolute directory path' });
  }
  if (typeof title !== 'string' || title.length > MAX_TITLE_LENGTH) {
    problems.push({ field: 'title', message: `expected a string of at most ${MAX_TITLE_LENGTH} characters` });
  }
  if (typeof encoder !== 'string' || !isHevcEncoder(encoder)) {
    problems.push({ field: 'encoder', message: `expected one of ${HEVC_ENCODERS.join(', ')} (see probeEncoders)` });
  }
  problems.push(...recordingModeProblems(mode, 'mode'));
  if (problems.length > 0) throw new RecordingParamsError(problems);
  const valid = params as unknown as RecordingParams;
  return Object.freeze({
    recordingId: valid.recordingId,
    outputDir: path.normalize(valid.outputDir),
    title: valid.title,
    encoder: valid.encoder,
    mode: Object.freeze({ ...valid.mode }),
  });
}

function recordingModeProblems(mode: unknown, prefix: string): ParamsProblem[] {
  if (!isRecord(mode)) return [{ field: prefix, message: 'expected an object' }];
  const problems: ParamsProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `${prefix}.${field}`, message });
  const { kind, container, audioCodec, onlyConsenting } = mode;

  if (!RECORDING_KINDS.includes(kind as RecordingKind)) problem('kind', `expected one of ${RECORDING_KINDS.join(', ')}`);
  if (!CONTAINERS.includes(container as Container)) problem('container', `expected one of ${CONTAINERS.join(', ')}`);
  if (!AUDIO_CODECS.includes(audioCodec as AudioCodec)) problem('audioCodec', `expected one of ${AUDIO_CODECS.join(', ')}`);
  if (typeof onlyConsenting !== 'boolean') problem('onlyConsenting', 'expected true or false');

  if (kind === 'composite') {
    for (const [field, [min, max]] of Object.entries(LIMITS)) {
      const value = mode[field];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        problem(field, `expected a whole number from ${min} to ${max}`);
      }
    }
    for (const field of ['width', 'height'] as const) {
      const value = mode[field];
      // 4:2:0 video needs even dimensions; encoders reject odd ones at run time, too late to report well.
      if (typeof value === 'number' && Number.isInteger(value) && value % 2 !== 0) problem(field, 'must be even');
    }
  }
  if (kind === 'separate-tracks') {
    // Tracks keep each participant's stream as received (VP8 or H.264 video, Opus audio) without
    // re-encoding; ffmpeg 5.1 cannot put VP8 into MP4, and AAC would mean transcoding every voice.
    if (container === 'mp4') problem('container', 'separate-tracks keeps the original VP8/Opus streams, which MP4 cannot hold here; choose mkv');
    if (audioCodec === 'aac') problem('audioCodec', "separate-tracks keeps each participant's Opus audio as received; choose opus");
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
