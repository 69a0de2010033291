import dgram from 'node:dgram';
import { once } from 'node:events';
import type { RtpPorts } from './RtpInputSpec.ts';

export const LOOPBACK = '127.0.0.1';

/**
 * Keeps an input's loopback RTP/RTCP ports bound while no pipeline listens on them: between
 * the port choice and the first pipeline, and between a track's segments, so that no other
 * process takes a port the appliance has already pointed mediasoup at. Packets arriving
 * meanwhile are discarded, which is what a paused recording wants.
 */
export class UdpPortReservation {
  readonly ports: RtpPorts;
  readonly #sockets: dgram.Socket[];

  private constructor(ports: RtpPorts, sockets: dgram.Socket[]) {
    this.ports = ports;
    this.#sockets = sockets;
  }

  /** Binds two free ports chosen by the kernel. */
  static async reserveFree(): Promise<UdpPortReservation> {
    const sockets = await Promise.all([bind(0), bind(0)]);
    const [rtpPort, rtcpPort] = sockets.map((s) => s.address().port) as [number, number];
    return new UdpPortReservation({ rtpPort, rtcpPort }, sockets);
  }

  /** Binds ports that a stopped pipeline has just released. */
  static async hold(ports: RtpPorts): Promise<UdpPortReservation> {
    const sockets = await Promise.all([bind(ports.rtpPort), bind(ports.rtcpPort)]);
    return new UdpPortReservation(ports, sockets);
  }

  /** Frees the ports for a pipeline that binds them next. */
  async release(): Promise<void> {
    await Promise.all(this.#sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

async function bind(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', () => {});
  socket.bind(port, LOOPBACK);
  await once(socket, 'listening');
  return socket;
}
