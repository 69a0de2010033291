import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ansibleEnv, describe, repoRoot, requireTool, rolesDir, run } from '../ops/helpers.ts';

/** Variables of the nginx role a test may set (the roles' defaults apply to the rest). */
export type NginxSiteVars = Record<string, unknown>;

/** A port nothing listens on now (nginx cannot report a port it picked itself). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPort(port: number, process: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) break;
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = await fs.readFile(errorLog, 'utf8').catch(() => '');
  throw new Error(`nginx did not listen on ${port} (exit ${process.exitCode}):\n${log}`);
}

/**
 * Debian's nginx running the Ansible role's site template, rendered by Ansible with test values and
 * a self-signed certificate made here, in front of an appliance at `upstream` (host:port). It runs
 * unprivileged on free ports, with its pid, logs and temp files in a directory of its own.
 */
export class NginxProxy {
  readonly dir: string;
  readonly httpsPort: number;
  readonly certificate: Buffer;
  readonly #process: ChildProcess;

  private constructor(dir: string, httpsPort: number, certificate: Buffer, child: ChildProcess) {
    this.dir = dir;
    this.httpsPort = httpsPort;
    this.certificate = certificate;
    this.#process = child;
  }

  static async start(upstream: string, vars: NginxSiteVars = {}): Promise<NginxProxy> {
    requireTool('nginx');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nginx-proxy-'));
    const tls = path.join(dir, 'tls');
    await fs.mkdir(tls);
    const cert = await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=rec.example.test', '-addext', 'subjectAltName=DNS:rec.example.test,IP:127.0.0.1',
      '-keyout', path.join(tls, 'appliance.key'), '-out', path.join(tls, 'appliance.crt'),
    ]);
    if (cert.code !== 0) throw new Error(`openssl could not make the test certificate: ${describe(cert)}`);

    const httpsPort = await freePort();
    const httpPort = await freePort();
    const siteVars = {
      roles_dir: rolesDir,
      out: dir,
      appliance_server_name: 'rec.example.test',
      appliance_announced_ip: '127.0.0.1',
      appliance_local_address: upstream,
      appliance_https_port: httpsPort,
      nginx_https_listen_port: httpsPort,
      nginx_http_port: httpPort,
      nginx_listen_ipv6: false,
      nginx_tls_dir: tls,
      ...vars,
    };
    await fs.writeFile(path.join(dir, 'vars.json'), JSON.stringify(siteVars));
    const rendered = await run(
      'ansible-playbook',
      ['-i', 'localhost,', '-c', 'local', path.join(repoRoot, 'test', 'helpers', 'render-nginx-site.yml'), '-e', `@${path.join(dir, 'vars.json')}`],
      { env: ansibleEnv() },
    );
    if (rendered.code !== 0) throw new Error(`rendering the nginx site failed: ${describe(rendered)}`);

    const temp = (name: string) => path.join(dir, name);
    await fs.writeFile(
      path.join(dir, 'nginx.conf'),
      [
        `pid ${temp('nginx.pid')};`,
        `error_log ${temp('error.log')} warn;`,
        'worker_processes 1;',
        'events { worker_connections 1024; }',
        'http {',
        '  include /etc/nginx/mime.types;',
        `  access_log ${temp('access.log')};`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${temp(`${kind}-temp`)};`),
        `  include ${temp('site.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', temp('error.log'), '-g', 'daemon off;'], { stdio: 'ignore' });
    try {
      await waitForPort(httpsPort, child, temp('error.log'));
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return new NginxProxy(dir, httpsPort, await fs.readFile(path.join(tls, 'appliance.crt')), child);
  }

  get url(): string {
    return `https://127.0.0.1:${this.httpsPort}`;
  }

  /** A supertest agent (keeps cookies) that trusts the test certificate. */
  agent() {
    return request.agent(this.url).ca(this.certificate);
  }

  /** The site as Ansible rendered it. */
  async siteConfig(): Promise<string> {
    return fs.readFile(path.join(this.dir, 'site.conf'), 'utf8');
  }

  /** What nginx wrote to its access log so far. */
  async accessLog(): Promise<string> {
    return fs.readFile(path.join(this.dir, 'access.log'), 'utf8').catch(() => '');
  }

  async stop(): Promise<void> {
    if (this.#process.exitCode === null) {
      const exited = once(this.#process, 'exit');
      this.#process.kill('SIGTERM');
      await exited;
    }
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
