import type os from 'node:os';
import test from 'ava';
import { RtcNetwork, announcedAddressFor } from '../../appliance/sfu/rtc-network.ts';

const address = (address: string, family: 'IPv4' | 'IPv6', internal: boolean): os.NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as os.NetworkInterfaceInfo;
const host = {
  lo: [address('127.0.0.1', 'IPv4', true), address('::1', 'IPv6', true)],
  eth0: [address('fd00::2', 'IPv6', false), address('10.1.2.3', 'IPv4', false)],
};

test('browsers are told the configured address, else the listen address, else the host\'s first external IPv4 one', (t) => {
  t.is(announcedAddressFor({ listenIp: '0.0.0.0', announcedIp: '192.168.7.7' }, host), '192.168.7.7');
  t.is(announcedAddressFor({ listenIp: '10.1.2.3', announcedIp: undefined }, host), undefined, 'mediasoup announces a concrete listen address itself');
  t.is(announcedAddressFor({ listenIp: '0.0.0.0', announcedIp: undefined }, host), '10.1.2.3');
  t.is(announcedAddressFor({ listenIp: '::', announcedIp: undefined }, { lo: host.lo }), '127.0.0.1', 'a host without a network only serves itself');
});

test('WebRTC transports listen on UDP and TCP within the configured port range; recorder taps on loopback with RTCP apart', (t) => {
  const network = new RtcNetwork({ listenIp: '0.0.0.0', announcedIp: '192.168.7.7', minPort: 41000, maxPort: 41099, workers: 1 });
  const webrtc = network.webRtcTransportOptions({ userId: 'u' });
  t.deepEqual(
    webrtc.listenInfos?.map((info) => [info.protocol, info.ip, info.announcedAddress, info.portRange]),
    ['udp', 'tcp'].map((protocol) => [protocol, '0.0.0.0', '192.168.7.7', { min: 41000, max: 41099 }]),
  );
  t.like(webrtc, { enableUdp: true, enableTcp: true, preferUdp: true, appData: { userId: 'u' } });
  const plain = network.loopbackPlainTransportOptions({});
  t.like(plain, { listenInfo: { protocol: 'udp', ip: '127.0.0.1', portRange: { min: 41000, max: 41099 } }, rtcpMux: false, comedia: false });
});
