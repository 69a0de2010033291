import type { Consumer, MediaKind, PlainTransport, Router, RtpCapabilities, RtpParameters } from 'mediasoup/types';
import { InvalidInputError } from '../domain/index.ts';
import { TapClosedError, TapStateError } from './errors.ts';
import { SafeEmitter } from './safe-emitter.ts';
import { LOOPBACK } from './rtc-network.ts';
import type { RtcNetwork } from './rtc-network.ts';
import type { MediaSource } from './signalling-protocol.ts';
import type { PeerProducer } from './media-peer.ts';

/** Where on 127.0.0.1 the recorder listens for one producer's media. */
export interface RtpDestination {
  rtpPort: number;
  /** Defaults to rtpPort + 1, as RTP/RTCP pairs usually go. */
  rtcpPort?: number;
}

/** What a receiver needs to depayload the stream (the `caps` of a GStreamer udpsrc). */
export interface TapStream {
  /** e.g. video/VP8, video/H264, audio/opus */
  codec: string;
  payloadType: number;
  ssrc: number;
  clockRate: number;
  channels?: number;
  /** The codec's fmtp parameters (H.264 profile-level-id, packetization-mode, …). */
  parameters: Record<string, unknown>;
}

export type TapCloseReason = 'closed' | 'producer-closed' | 'room-closed';

export interface RtpTapEvents {
  closed: [reason: TapCloseReason];
}

/**
 * One producer's media sent as plain RTP to a port on 127.0.0.1, for the recorder: a
 * PlainTransport (RTP and RTCP on separate ports, no comedia: the SFU sends to the ports it is
 * given) with one consumer on it. The consumer exists before the ports are known, because the
 * receiver needs its SSRC and payload type to listen; then `connect()` names the ports, and
 * `start()` resumes it and asks the sender for a key frame, without which a video decoder shows
 * nothing.
 * It closes by itself when the producer goes or the room closes (`closed` event).
 */
export class RtpTap extends SafeEmitter<RtpTapEvents> {
  readonly conferenceId: string;
  readonly producerId: string;
  readonly userId: string;
  readonly source: MediaSource;
  readonly kind: MediaKind;
  readonly stream: TapStream;
  /** The consumer's full RTP parameters (header extensions, RTCP feedback, RTX). */
  readonly rtpParameters: RtpParameters;
  /** Where the SFU sends from and takes the recorder's RTCP (receiver reports, NACK, PLI). */
  readonly localRtpPort: number;
  readonly localRtcpPort: number | undefined;
  readonly #transport: PlainTransport;
  readonly #consumer: Consumer;

  private constructor(conferenceId: string, producer: PeerProducer, transport: PlainTransport, consumer: Consumer) {
    super();
    this.conferenceId = conferenceId;
    this.producerId = producer.id;
    this.userId = producer.appData.userId;
    this.source = producer.appData.source;
    this.kind = consumer.kind;
    this.rtpParameters = consumer.rtpParameters;
    this.stream = streamOf(consumer.rtpParameters);
    this.localRtpPort = transport.tuple.localPort;
    this.localRtcpPort = transport.rtcpTuple?.localPort;
    this.#transport = transport;
    this.#consumer = consumer;
    consumer.on('producerclose', () => this.#closeWith('producer-closed'));
    transport.on('routerclose', () => this.safeEmit('closed', 'room-closed'));
  }

  static async open(conferenceId: string, router: Router, network: RtcNetwork, producer: PeerProducer): Promise<RtpTap> {
    const transport = await router.createPlainTransport(network.loopbackPlainTransportOptions({ role: 'recorder', producerId: producer.id }));
    try {
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: withoutBandwidthEstimation(router.rtpCapabilities), paused: true });
      return new RtpTap(conferenceId, producer, transport, consumer);
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.#transport.closed;
  }

  get paused(): boolean {
    return this.#consumer.paused;
  }

  get connected(): boolean {
    return this.#transport.tuple.remotePort !== undefined && this.#transport.tuple.remotePort !== 0;
  }

  /** Names the ports on 127.0.0.1 the receiver listens on; once. */
  async connect(destination: RtpDestination): Promise<void> {
    this.#assertOpen();
    if (this.connected) throw new TapStateError(this.producerId, 'it is already connected');
    const rtcpPort = destination.rtcpPort ?? destination.rtpPort + 1;
    for (const [field, port] of [['rtpPort', destination.rtpPort], ['rtcpPort', rtcpPort]] as const) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidInputError(`${field} must be a port number, got ${port}`, field);
    }
    await this.#transport.connect({ ip: LOOPBACK, port: destination.rtpPort, rtcpPort });
  }

  /** Starts sending (call once the receiver listens), then asks for a key frame. */
  async start(): Promise<void> {
    this.#assertOpen();
    if (!this.connected) throw new TapStateError(this.producerId, 'connect it to the receiver\'s ports first');
    await this.#consumer.resume();
    await this.requestKeyFrame();
  }

  /** Asks the sender for a key frame now (video only; audio needs none). */
  async requestKeyFrame(): Promise<void> {
    this.#assertOpen();
    if (this.kind === 'video') await this.#consumer.requestKeyFrame();
  }

  async pause(): Promise<void> {
    this.#assertOpen();
    await this.#consumer.pause();
  }

  /** Bytes and packets the SFU has sent to the recorder so far. */
  async sent(): Promise<{ bytes: number; packets: number }> {
    this.#assertOpen();
    const stats = await this.#consumer.getStats();
    const outbound = stats.filter((stat) => stat.type === 'outbound-rtp');
    return { bytes: outbound.reduce((sum, stat) => sum + stat.byteCount, 0), packets: outbound.reduce((sum, stat) => sum + stat.packetCount, 0) };
  }

  close(): void {
    this.#closeWith('closed');
  }

  #closeWith(reason: TapCloseReason): void {
    if (this.#transport.closed) return;
    this.#transport.close();
    this.safeEmit('closed', reason);
  }

  #assertOpen(): void {
    if (this.#transport.closed) throw new TapClosedError(this.producerId);
  }
}

function streamOf(rtpParameters: RtpParameters): TapStream {
  // A consumer's parameters always name its one codec and one encoding with its SSRC.
  const codec = rtpParameters.codecs[0]!;
  const encoding = rtpParameters.encodings![0]!;
  return {
    codec: codec.mimeType,
    payloadType: codec.payloadType,
    ssrc: encoding.ssrc!,
    clockRate: codec.clockRate,
    ...(codec.channels ? { channels: codec.channels } : {}),
    parameters: codec.parameters ?? {},
  };
}

const BANDWIDTH_EXTENSIONS = new Set(['http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01']);

/**
 * The recorder estimates no bandwidth. Offered transport-cc or REMB, the SFU would probe the link
 * with padding packets (payload type 127, SSRC 1234) even while the tap is paused, and could
 * lower the stream on the recorder's account.
 */
function withoutBandwidthEstimation(capabilities: RtpCapabilities): RtpCapabilities {
  return {
    codecs: capabilities.codecs?.map((codec) => ({ ...codec, rtcpFeedback: codec.rtcpFeedback?.filter((feedback) => feedback.type !== 'transport-cc' && feedback.type !== 'goog-remb') })),
    headerExtensions: capabilities.headerExtensions?.filter((extension) => !BANDWIDTH_EXTENSIONS.has(extension.uri)),
  };
}
