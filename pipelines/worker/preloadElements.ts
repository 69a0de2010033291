import { HEVC_ENCODERS, type HevcEncoder } from '../encoders/hevcEncoders.ts';
import { gstreamer } from '../gst/nativeBinding.ts';

/** Every element a recording's pipelines are built from (encoders separately: some are absent). */
const RECORDING_ELEMENTS = [
  'udpsrc', 'rtpbin', 'rtpvp8depay', 'rtph264depay', 'h264parse', 'rtpopusdepay', 'opusparse', 'vp8dec', 'avdec_h264', 'opusdec',
  'videoconvert', 'videoscale', 'videorate', 'audioconvert', 'audioresample', 'audiorate', 'audiomixer', 'compositor',
  'videotestsrc', 'rsvgoverlay', 'imagefreeze', 'input-selector', 'identity', 'valve', 'tee', 'queue',
  'intervideosink', 'intervideosrc', 'interaudiosink', 'interaudiosrc', 'h265parse', 'avenc_aac', 'opusenc',
  'taginject', 'matroskamux', 'mp4mux', 'filesink', 'fakesink',
];

/**
 * Creates each element once and drops it, so that the plugins are loaded while this worker waits
 * as the spare: otherwise the first pipeline of a recording loads them, and the recording's first
 * fifth of a second is lost between the admin's command and the file's first frame.
 */
export function preloadElements(encoder: HevcEncoder | undefined): number {
  let loaded = 0;
  for (const element of [...RECORDING_ELEMENTS, ...(encoder === undefined ? HEVC_ENCODERS : [encoder])]) {
    try {
      // Inside a bin: the binding treats what it parsed as a bin, and warns about a lone element.
      new gstreamer.Pipeline(`( ${element} )`).stop();
      loaded += 1;
    } catch {
      // Not installed here (a hardware encoder without its GPU): recordings will not ask for it.
    }
  }
  return loaded;
}
