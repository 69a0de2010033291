import type { MediaKind, PlainTransportOptions, RtpParameters } from 'mediasoup/types';
import type { RtcNetwork } from './rtc-network.ts';
import type { MediaSource } from './signalling-protocol.ts';

/**
 * Plain RTP into a room from a process on the appliance itself (the selftest's GStreamer senders),
 * never from the WebSocket: a producer like a browser's, so the recorder taps it the same way. The
 * API opens one only for the self-test's own server (ingest-routes.ts).
 */
export interface IngestRequest {
  kind: MediaKind;
  source: MediaSource;
  ssrc: number;
}

export interface SyntheticIngest {
  /** The loopback UDP port to send RTP (and RTCP, muxed) to. */
  port: number;
  producerId: string;
  /** Closes the transport, and with it the producer (reported as removed). */
  close(): void;
}

/** What the sender must use: VP8 on payload type 96, stereo Opus on 100. */
export const INGEST_PAYLOAD_TYPES: Record<MediaKind, number> = { video: 96, audio: 100 };

export function ingestRtpParameters(kind: MediaKind, ssrc: number): RtpParameters {
  const codec =
    kind === 'video'
      ? { mimeType: 'video/VP8', payloadType: INGEST_PAYLOAD_TYPES.video, clockRate: 90000 }
      : { mimeType: 'audio/opus', payloadType: INGEST_PAYLOAD_TYPES.audio, clockRate: 48000, channels: 2 };
  return { codecs: [codec], encodings: [{ ssrc }] };
}

/**
 * The tap's loopback listen address, but learning the sender's address from its first packet
 * (comedia) and with RTCP on the same port: a gst-launch udpsink has one socket and no signalling.
 */
export function ingestTransportOptions<AppData extends Record<string, unknown>>(network: RtcNetwork, appData: AppData): PlainTransportOptions<AppData> {
  return { ...network.loopbackPlainTransportOptions(appData), comedia: true, rtcpMux: true };
}
