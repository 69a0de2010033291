import type { IncomingMessage } from 'node:http';
import os from 'node:os';

/** Headers a reverse proxy adds: their presence means the connection is the proxy's, not the client's. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

function withoutIpv4Mapping(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function isLoopbackAddress(address: string): boolean {
  const plain = withoutIpv4Mapping(address);
  return plain === '::1' || plain.startsWith('127.');
}

/**
 * Express's `trust proxy`: the nginx on this host is the one proxy, so only the connection's own
 * address is trusted, and only when it is loopback. nginx sets X-Forwarded-For to the client's
 * address; anything further left, which a client could write, is never taken for the client.
 */
export function trustsLocalProxy(address: string, hop: number): boolean {
  return hop === 0 && isLoopbackAddress(address);
}

/**
 * An address of this host: loopback, or one of its interfaces' (a process connecting to the
 * host's own LAN address arrives from that address).
 */
export function isThisHostAddress(address: string): boolean {
  const plain = withoutIpv4Mapping(address);
  if (isLoopbackAddress(plain)) return true;
  return Object.values(os.networkInterfaces()).some((addresses) => addresses?.some((entry) => entry.address === plain));
}

/**
 * The request was made by a process on this host, straight to the appliance. nginx runs on the
 * same host and connects from loopback too, so a proxied request is told apart by the headers the
 * proxy adds; a request that merely claims a local origin in such a header is refused as well.
 */
export function isDirectFromThisHost(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress;
  return address !== undefined && isThisHostAddress(address) && PROXY_HEADERS.every((header) => request.headers[header] === undefined);
}
