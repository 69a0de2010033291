/**
 * Requests to the machine's nginx as a browser makes them: HTTPS to the machine's address under
 * the appliance's server name, the certificate checked against the one the play made.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class HttpsClient {
  constructor(
    private readonly address: string,
    private readonly serverName: string,
    private readonly certificate: string,
  ) {}

  request(method: string, pathAndQuery: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.address,
          port: 443,
          method,
          path: pathAndQuery,
          servername: this.serverName,
          ca: this.certificate,
          headers: { Host: this.serverName, ...options.headers },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${pathAndQuery}: no answer in 30 s`)));
      req.on('error', reject);
      req.end(options.body);
    });
  }
}

/** A plain-HTTP HEAD under a name of our choosing (fetch() sends the address as Host, whatever it is told). */
export function plainHttpHead(address: string, pathAndQuery: string, serverName: string): Promise<Omit<Reply, 'body'>> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: address, port: 80, method: 'HEAD', path: pathAndQuery, headers: { Host: serverName }, timeout: 30_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('timeout', () => req.destroy(new Error(`HEAD http://${address}${pathAndQuery}: no answer in 30 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Whether a TCP connection to address:port is accepted within `limitMs` (a firewall drop just times out). */
export function tcpConnects(address: string, port: number, limitMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(limitMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
