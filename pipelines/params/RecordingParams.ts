import path from 'node:path';
import { InvalidInputError } from '../../appliance/domain/errors.ts';
import * as recordingModeRules from '../../appliance/domain/recording-mode.ts';
import type { RecordingAudioCodec, RecordingContainer, RecordingModeKind, RecordingModeSettings } from '../../appliance/domain/recording-mode.ts';
import { RecordingParamsError, type ParamsProblem } from '../errors.ts';
import { HEVC_ENCODERS, isHevcEncoder } from '../encoders/hevcEncoders.ts';

export type RecordingKind = RecordingModeKind;
export type Container = RecordingContainer;
export type AudioCodec = RecordingAudioCodec;
/** The domain's type: a recording is made with the mode the console saved, checked by the same rules. */
export type RecordingMode = RecordingModeSettings;

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

const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_TITLE_LENGTH = 300;

/**
 * Checks a recording mode against the domain's rules and returns it frozen; throws
 * `RecordingParamsError`, so the worker reports it like any other settings problem.
 */
export function validateRecordingMode(mode: unknown): Readonly<RecordingMode> {
  const problems = recordingModeProblems(mode);
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
  problems.push(...recordingModeProblems(mode));
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

/** The domain refuses a mode on its first problem, so a mode adds at most one. */
function recordingModeProblems(mode: unknown): ParamsProblem[] {
  if (!isRecord(mode)) return [{ field: 'mode', message: 'expected an object' }];
  try {
    recordingModeRules.validateRecordingMode(mode as unknown as RecordingModeSettings);
    return [];
  } catch (error) {
    if (error instanceof InvalidInputError) return [{ field: error.field ? `mode.${error.field}` : 'mode', message: error.message }];
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
