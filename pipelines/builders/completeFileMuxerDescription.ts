import { quoted } from '../gst/launchSyntax.ts';
import type { Container } from '../params/RecordingParams.ts';

/**
 * The muxer and sink of an output written whole while the recording runs, beside its segment.
 * Both muxers seek back once at the end (MP4 writes its index, Matroska its cues and duration),
 * which takes the same moment however long the recording was; a file cut short by a crash lacks
 * that index and is left for the segments to replace.
 */
export function completeFileMuxerDescription(name: string, file: string, container: Container): string {
  return `${container === 'mp4' ? 'mp4mux' : 'matroskamux'} name=${name} ! filesink location=${quoted(file)}`;
}
