import { quoted } from '../gst/launchSyntax.ts';
import { LOOPBACK } from './UdpPortReservation.ts';
import type { RtpCodec, RtpInputSpec, RtpPorts } from './RtpInputSpec.ts';

/**
 * Jitter buffer depth. Loopback from mediasoup adds no jitter, but the SFU forwards what the
 * senders' networks did to the packets; 200 ms absorbs ordinary Wi-Fi reordering.
 */
export const JITTER_BUFFER_MS = 200;

const RTP_ENCODING_NAME: Record<RtpCodec, string> = { VP8: 'VP8', H264: 'H264', opus: 'OPUS' };

/**
 * Depayloaders. Video waits for a keyframe, so nothing downstream ever sees a picture decoded
 * from a missing reference (the grey smear other recorders show until the first keyframe).
 */
const DEPAYLOADER: Record<RtpCodec, string> = {
  VP8: 'rtpvp8depay wait-for-keyframe=true',
  H264: 'rtph264depay wait-for-keyframe=true ! h264parse',
  opus: 'rtpopusdepay',
};

/**
 * Receives one input on loopback: RTP into rtpbin's jitter buffer (which re-times packets from
 * their RTP timestamps and takes the sender reports arriving on the RTCP port), then the
 * depayloader. The caller appends the rest of the chain after the returned description.
 */
export function rtpReceiveDescription(spec: RtpInputSpec, ports: RtpPorts): string {
  const caps =
    `application/x-rtp,media=${spec.kind},clock-rate=${spec.clockRate},encoding-name=${RTP_ENCODING_NAME[spec.codec]},` +
    `payload=${spec.payloadType},ssrc=(uint)${spec.ssrc}`;
  return [
    `rtpbin name=rtp latency=${JITTER_BUFFER_MS}`,
    `udpsrc port=${ports.rtpPort} address=${LOOPBACK} caps=${quoted(caps)} ! rtp.recv_rtp_sink_0`,
    `udpsrc port=${ports.rtcpPort} address=${LOOPBACK} caps=application/x-rtcp ! rtp.recv_rtcp_sink_0`,
    `rtp. ! ${DEPAYLOADER[spec.codec]}`,
  ].join(' ');
}
