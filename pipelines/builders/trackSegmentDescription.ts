import { rtpReceiveDescription } from '../inputs/rtpReceiveDescription.ts';
import type { RtpCodec, RtpInputSpec, RtpPorts } from '../inputs/RtpInputSpec.ts';
import { segmentMuxerDescription } from './segmentMuxerDescription.ts';

/** What follows the depayloader so that Matroska gets complete caps (Opus needs its header parsed). */
const PARSER: Record<RtpCodec, string> = { VP8: 'queue', H264: 'queue', opus: 'opusparse ! queue' };

/** One segment of a separate track: the input's stream as received, depayloaded and written without re-encoding. */
export function trackSegmentDescription(spec: RtpInputSpec, ports: RtpPorts, file: string): string {
  return `${rtpReceiveDescription(spec, ports)} ! ${PARSER[spec.codec]} ! ${segmentMuxerDescription('mux', file)}`;
}
