import type { HevcEncoder } from '../encoders/hevcEncoders.ts';
import { hevcEncoderDescription } from '../encoders/hevcEncoders.ts';
import { quoted } from '../gst/launchSyntax.ts';
import type { AudioCodec, Container } from '../params/RecordingParams.ts';
import { audioEncoderDescription } from './audioEncoderDescription.ts';
import { completeFileMuxerDescription } from './completeFileMuxerDescription.ts';
import { segmentMuxerDescription } from './segmentMuxerDescription.ts';

export interface MixedSegmentVideo {
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  encoder: HevcEncoder;
  /** The two channels layouts alternate on; the selector's pad `sink_<index>` reads each. */
  canvasChannels: readonly [string, string];
  /** Segment file receiving the HEVC video and the mixed audio. */
  file: string;
  /** The same, written whole in the recording's container. */
  completeFile: string;
}

export interface MixedSegment {
  /** Written into the complete files' metadata. */
  title: string;
  container: Container;
  video: MixedSegmentVideo | undefined;
  audio: {
    codec: AudioCodec;
    /** Fixed pool of channels that audio inputs are assigned to; an unused one yields silence. */
    slotChannels: readonly string[];
    /** Segment file receiving the mixed audio alone. */
    file: string;
    /** The same, written whole in the recording's container. */
    completeFile: string;
  };
}

/** Element names the recording reads at run time. */
export const SEGMENT_ELEMENTS = {
  canvasSelector: 'canvas',
  /** Sink on a branch of the encoded video: its render count is the number of frames encoded. */
  frameCounter: 'frames',
  /** audiorate behind the mixer: `out` counts mixed samples. */
  sampleCounter: 'samples',
} as const;

/**
 * How much decoded audio a slot's channel may hold, and how it is read. Video crosses its
 * channels as "the latest frame", so every sample of audio waiting in a channel is audio late
 * against the picture. Each time the reader finds less than a period waiting it plays silence and
 * the wait grows, for good; with the defaults (1 s) a loaded machine let audio fall 0.7–1 s
 * behind the picture. Capped at 100 ms, the writer drops what is older, and lip-sync stays within
 * the capped wait; short periods keep the silence inserted on an underrun short.
 */
const AUDIO_SLOT_TIMING = 'buffer-time=100000000 latency-time=20000000 period-time=10000000';

/**
 * The muxers of the video file interleave by time, so they hold audio until the video of the same
 * moment arrives. With a default queue (1 s) an encoder running more than a second behind filled
 * it, the audio tee blocked, and the mixer, the audio file with it, went silent for seconds
 * (measured under CPU load in `composite.test.ts`). Ten seconds of encoded audio are a few
 * hundred kilobytes; the leaky queue in front of the encoder keeps video from falling further behind.
 */
const AUDIO_WAITING_FOR_VIDEO = 'queue max-size-time=10000000000 max-size-buffers=0 max-size-bytes=0';

/**
 * A layout pipeline starved of CPU repeats its last canvas this long before the encoder sees
 * black (intervideosrc's default is 1 s): a frozen moment rather than a black one.
 */
const CANVAS_HOLD_NS = 10_000_000_000;

/**
 * One segment of a mixed recording: the canvas (picked from two alternating layout channels by
 * an input-selector, so a layout change never shows a gap) encoded to HEVC, plus every audio
 * slot mixed and encoded once, then written to the video file and to the audio-only file, each
 * twice: as a Matroska segment, valid up to its last block whatever happens, and as the complete
 * file in the recording's container, which a recording that ends normally in one segment uses
 * as it is, with nothing left to join after stop.
 *
 * The selector must not synchronise its inactive input (`sync-streams=false`): that input blocks
 * while it waits for the active one, and end-of-stream, which reaches the sources one after the
 * other, then deadlocks. The two inputs tick on different phases, and the selector sends a new
 * segment on every switch, which would make videorate restart its frame grid (a burst of frames
 * with one timestamp); `identity single-segment` swallows those segments, so videorate can put
 * every frame on one constant-rate grid.
 *
 * A leaky queue in front of the encoder drops frames rather than letting an overloaded encoder
 * drift away from the audio; the encoded frame count then falls behind real time, which progress
 * reports.
 */
export function mixedSegmentDescription(segment: MixedSegment): string {
  const { video, audio } = segment;
  const titleTag = `taginject tags=${quoted(`title=${quoted(segment.title)}`)}`;
  const parts: string[] = [];
  if (video !== undefined) {
    const { width, height, fps } = video;
    parts.push(
      `input-selector name=${SEGMENT_ELEMENTS.canvasSelector} sync-streams=false ! identity single-segment=true ! videorate ! videoconvert ! videoscale`,
      `! video/x-raw,format=I420,width=${width},height=${height},framerate=${fps}/1,pixel-aspect-ratio=1/1`,
      `! queue leaky=downstream max-size-buffers=${fps} max-size-bytes=0 max-size-time=0`,
      `! ${hevcEncoderDescription(video.encoder, { bitrateKbps: video.bitrateKbps, keyframeInterval: 2 * fps })}`,
      `! h265parse ! ${titleTag} ! tee name=encodedvideo`,
      'encodedvideo. ! queue ! videomux.',
      'encodedvideo. ! queue ! videocomplete.',
      `encodedvideo. ! queue ! fakesink name=${SEGMENT_ELEMENTS.frameCounter} sync=false async=false enable-last-sample=false`,
      ...video.canvasChannels.map((channel, index) => `intervideosrc channel=${quoted(channel)} timeout=${CANVAS_HOLD_NS} ! ${SEGMENT_ELEMENTS.canvasSelector}.sink_${index}`),
      segmentMuxerDescription('videomux', video.file),
      completeFileMuxerDescription('videocomplete', video.completeFile, segment.container),
    );
  }
  parts.push(
    `audiomixer name=mixer ! audiorate name=${SEGMENT_ELEMENTS.sampleCounter} ! ${audioEncoderDescription(audio.codec)} ! ${titleTag} ! tee name=encodedaudio`,
    'encodedaudio. ! queue ! audiomux.',
    'encodedaudio. ! queue ! audiocomplete.',
    ...audio.slotChannels.map((channel) => `interaudiosrc channel=${quoted(channel)} ${AUDIO_SLOT_TIMING} ! queue ! mixer.`),
    segmentMuxerDescription('audiomux', audio.file),
    completeFileMuxerDescription('audiocomplete', audio.completeFile, segment.container),
  );
  if (video !== undefined) parts.push(`encodedaudio. ! ${AUDIO_WAITING_FOR_VIDEO} ! videomux.`, `encodedaudio. ! ${AUDIO_WAITING_FOR_VIDEO} ! videocomplete.`);
  return parts.join(' ');
}
