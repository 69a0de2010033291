import { InvalidInputError } from './errors.ts';

/**
 * How a recording is made, as the appliance's administrators set it in the console. A recording
 * takes a copy of its mode at start, so editing a mode never changes a running recording.
 */
export type RecordingModeKind = 'composite' | 'audio-only' | 'separate-tracks';
export type RecordingContainer = 'mp4' | 'mkv';
export type RecordingAudioCodec = 'aac' | 'opus';

export const RECORDING_MODE_KINDS: readonly RecordingModeKind[] = ['composite', 'audio-only', 'separate-tracks'];
export const RECORDING_CONTAINERS: readonly RecordingContainer[] = ['mp4', 'mkv'];
export const RECORDING_AUDIO_CODECS: readonly RecordingAudioCodec[] = ['aac', 'opus'];

export interface RecordingModeSettings {
  kind: RecordingModeKind;
  width: number;
  height: number;
  fps: number;
  videoBitrateKbps: number;
  container: RecordingContainer;
  audioCodec: RecordingAudioCodec;
  /** Until a participant consents, their tile shows a placeholder and their audio is silent. */
  onlyConsenting: boolean;
}

export const DEFAULT_RECORDING_MODES: Array<{ name: string; isDefault: boolean; settings: RecordingModeSettings }> = [
  { name: 'Общая запись 720p', isDefault: true, settings: { kind: 'composite', width: 1280, height: 720, fps: 30, videoBitrateKbps: 2000, container: 'mp4', audioCodec: 'aac', onlyConsenting: false } },
  { name: 'Только звук', isDefault: false, settings: { kind: 'audio-only', width: 1280, height: 720, fps: 30, videoBitrateKbps: 2000, container: 'mp4', audioCodec: 'aac', onlyConsenting: false } },
  { name: 'Отдельные дорожки', isDefault: false, settings: { kind: 'separate-tracks', width: 1280, height: 720, fps: 30, videoBitrateKbps: 1500, container: 'mkv', audioCodec: 'opus', onlyConsenting: false } },
];

function wholeIn(value: unknown, field: keyof RecordingModeSettings, min: number, max: number, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${what} is a whole number from ${min} to ${max}`, field);
  }
}

/** Refuses settings that cannot be recorded, naming the field at fault. */
export function validateRecordingMode(settings: RecordingModeSettings): RecordingModeSettings {
  if (!RECORDING_MODE_KINDS.includes(settings.kind)) throw new InvalidInputError(`the mode is one of: ${RECORDING_MODE_KINDS.join(', ')}`, 'kind');
  if (!RECORDING_CONTAINERS.includes(settings.container)) throw new InvalidInputError(`the container is one of: ${RECORDING_CONTAINERS.join(', ')}`, 'container');
  if (!RECORDING_AUDIO_CODECS.includes(settings.audioCodec)) throw new InvalidInputError(`the audio codec is one of: ${RECORDING_AUDIO_CODECS.join(', ')}`, 'audioCodec');
  wholeIn(settings.width, 'width', 160, 3840, 'the width');
  wholeIn(settings.height, 'height', 90, 2160, 'the height');
  // HEVC encoders work on 4:2:0 pictures: odd sizes are refused by the encoders.
  if (settings.width % 2 !== 0) throw new InvalidInputError('the width must be even', 'width');
  if (settings.height % 2 !== 0) throw new InvalidInputError('the height must be even', 'height');
  wholeIn(settings.fps, 'fps', 1, 60, 'the frame rate');
  wholeIn(settings.videoBitrateKbps, 'videoBitrateKbps', 100, 50_000, 'the video bitrate (kbit/s)');
  if (settings.kind === 'separate-tracks') {
    // Tracks keep each participant's stream as received (VP8 or H.264, Opus) without re-encoding:
    // MP4 cannot hold VP8 with the muxer used here, and AAC would mean transcoding every voice.
    if (settings.container !== 'mkv') throw new InvalidInputError('separate tracks keep the streams as received: choose the MKV container', 'container');
    if (settings.audioCodec !== 'opus') throw new InvalidInputError("separate tracks keep each participant's Opus audio as received: choose Opus", 'audioCodec');
  }
  if (typeof settings.onlyConsenting !== 'boolean') throw new InvalidInputError('"record only consenting participants" is yes or no', 'onlyConsenting');
  // Below about 0.02 bit per pixel HEVC turns into smears: refuse a combination nobody wants. Only a
  // composite recording encodes a picture; separate tracks keep the video as received.
  const bitsPerPixel = (settings.videoBitrateKbps * 1000) / (settings.width * settings.height * settings.fps);
  if (settings.kind === 'composite' && bitsPerPixel < 0.01) {
    throw new InvalidInputError(`${settings.videoBitrateKbps} kbit/s is too low for ${settings.width}×${settings.height} at ${settings.fps} fps`, 'videoBitrateKbps');
  }
  return settings;
}
