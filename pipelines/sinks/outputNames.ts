import type { Container } from '../params/RecordingParams.ts';

/** File names of a recording's finished outputs, relative to its output directory. */
export const OUTPUT_NAMES = {
  compositeVideo: (container: Container) => `recording.${container}`,
  compositeAudio: (container: Container) => `recording-audio.${audioExtension(container)}`,
  mixedAudio: (container: Container) => `recording.${audioExtension(container)}`,
  track: (participantId: string, medium: 'audio' | 'video', ordinal: number) =>
    `tracks/${slug(participantId)}-${medium}-${String(ordinal).padStart(2, '0')}.${medium === 'video' ? 'mkv' : 'mka'}`,
  manifest: 'manifest.json',
  result: 'recording.json',
} as const;

function audioExtension(container: Container): string {
  return container === 'mp4' ? 'm4a' : 'mka';
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'participant';
}
