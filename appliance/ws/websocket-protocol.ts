/**
 * How a WebSocket of `/ws` says who it is. A browser cannot set headers on a WebSocket, and a token
 * in the URL ends up in access logs, so the web client offers two subprotocols: `appliance.events`,
 * which the appliance chooses, and `bearer.<token>`, which carries the user token. Programs may send
 * an Authorization header instead. Shared by the server and the web client.
 */
export const WEBSOCKET_PROTOCOL = 'appliance.events';
const BEARER_PROTOCOL_PREFIX = 'bearer.';

export function websocketProtocols(token: string): string[] {
  return [WEBSOCKET_PROTOCOL, `${BEARER_PROTOCOL_PREFIX}${token}`];
}

/** What a client offered in its Sec-WebSocket-Protocol header: its token, and whether it speaks this appliance's protocol. */
export function offeredProtocols(header: string | undefined): { token: string | undefined; speaksAppliance: boolean } {
  const offered = (header ?? '').split(',').map((protocol) => protocol.trim());
  const token = offered.find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX))?.slice(BEARER_PROTOCOL_PREFIX.length);
  return { token, speaksAppliance: offered.includes(WEBSOCKET_PROTOCOL) };
}
