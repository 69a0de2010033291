import os from 'node:os';
import type { PlainTransportOptions, TransportListenInfo, WebRtcTransportOptions } from 'mediasoup/types';
import type { ApplianceConfig } from '../config.ts';

export type RtcSettings = ApplianceConfig['rtc'];

/** Where recorder taps send RTP: the recorder runs on the appliance itself. */
export const LOOPBACK = '127.0.0.1';

/** A LAN appliance: 1 Mbit/s lets a camera start sharp instead of ramping up from mediasoup's 600 kbit/s. */
const INITIAL_OUTGOING_BITRATE = 1_000_000;

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * The address browsers are told to send media to. A wildcard listen address cannot be announced,
 * so without RTC_ANNOUNCED_IP the first external IPv4 address of the host is used (what a
 * single-NIC appliance wants), and loopback only on a host without any.
 */
export function announcedAddressFor(settings: Pick<RtcSettings, 'listenIp' | 'announcedIp'>, interfaces = os.networkInterfaces()): string | undefined {
  if (settings.announcedIp) return settings.announcedIp;
  if (!WILDCARDS.has(settings.listenIp)) return undefined;
  const external = Object.values(interfaces)
    .flatMap((addresses) => addresses ?? [])
    .find((address) => address.family === 'IPv4' && !address.internal);
  return external?.address ?? LOOPBACK;
}

/** Where the SFU listens for media, from the `rtc` settings; every socket stays in the configured port range. */
export class RtcNetwork {
  readonly announcedAddress: string | undefined;
  readonly #settings: RtcSettings;

  constructor(settings: RtcSettings) {
    this.#settings = settings;
    this.announcedAddress = announcedAddressFor(settings);
  }

  /** UDP preferred, TCP for networks that drop UDP; one port of each per transport. */
  webRtcTransportOptions<AppData extends Record<string, unknown>>(appData: AppData): WebRtcTransportOptions<AppData> {
    const listen = (protocol: 'udp' | 'tcp'): TransportListenInfo => ({
      protocol,
      ip: this.#settings.listenIp,
      ...(this.announcedAddress ? { announcedAddress: this.announcedAddress } : {}),
      portRange: { min: this.#settings.minPort, max: this.#settings.maxPort },
    });
    return {
      listenInfos: [listen('udp'), listen('tcp')],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
      appData,
    };
  }

  /**
   * A recorder tap: plain RTP on loopback, RTP and RTCP on separate ports (what GStreamer's
   * rtpbin expects), and sent to the port the recorder names rather than learnt from its packets.
   */
  loopbackPlainTransportOptions<AppData extends Record<string, unknown>>(appData: AppData): PlainTransportOptions<AppData> {
    return {
      listenInfo: { protocol: 'udp', ip: LOOPBACK, portRange: { min: this.#settings.minPort, max: this.#settings.maxPort } },
      rtcpMux: false,
      comedia: false,
      appData,
    };
  }
}
