/**
 * A real appliance behind the nginx of the Ansible role, reached the way browsers reach it: over
 * HTTPS through nginx. What depends on the proxy is checked there — the console's sign-in limiter,
 * its Secure cookie, /metrics kept inside, synthetic media refused — and the console's request
 * bodies are checked straight at the appliance as well, where nginx's limits do not help.
 */
import anyTest, { type TestFn } from 'ava';
import { WebSocket } from 'ws';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { SELFTEST_SERVER, registerSelftestServer, selftestSecret } from '../../appliance/auth/selftest-identity.ts';
import { RecordingMode } from '../../appliance/db/entities/index.ts';
import { websocketProtocols } from '../../appliance/ws/websocket-protocol.ts';
import { consoleAccount, signedIn } from '../console/helpers.ts';
import { NginxProxy } from '../helpers/nginx-proxy.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';

const test = anyTest as TestFn<{ appliance: TestAppliance; nginx: NginxProxy }>;

test.before(async (t) => {
  t.context.appliance = await TestAppliance.start(import.meta.filename);
  // No network of the tests' may read /metrics through nginx.
  t.context.nginx = await NginxProxy.start(new URL(t.context.appliance.url).host, { nginx_metrics_allow: ['192.0.2.0/24'] });
});

test.after.always(async (t) => {
  await t.context.nginx?.stop();
  await t.context.appliance?.stop();
});

test('/metrics is refused through nginx in every spelling the appliance would answer', async (t) => {
  const { appliance, nginx } = t.context;
  for (const spelling of ['/metrics', '/METRICS', '/Metrics', '/metrics/', '/metrics//', '//metrics', '/%6detrics', '/metrics?x=1']) {
    const direct = await appliance.as().get(spelling);
    if (direct.status === 200) t.regex(direct.text, /process_cpu_seconds_total/, `the appliance itself serves ${spelling}`);
    const res = await nginx.agent().get(spelling);
    t.is(res.status, 403, spelling);
    t.notRegex(res.text, /process_cpu_seconds_total/, spelling);
  }
});

test('the sign-in limiter counts the client\'s own address, whatever X-Forwarded-For it sends', async (t) => {
  const { appliance, nginx } = t.context;
  const account = await consoleAccount(appliance, 'admin');
  for (let i = 0; i < 5; i++) {
    const wrong = await nginx.agent().post('/admin/login').set('X-Forwarded-For', `203.0.113.${i + 1}`).type('form').send({ email: account.email, password: 'wrong' });
    t.is(wrong.status, 200, `failed sign-in ${i + 1} shows the form again`);
  }
  const limited = await nginx.agent().post('/admin/login').set('X-Forwarded-For', '198.51.100.99').type('form').send(account);
  t.is(limited.status, 429);
  t.regex(limited.headers['retry-after'] ?? '', /^\d+$/);
});

test('the console\'s session cookie is Secure behind nginx\'s HTTPS, and HSTS is sent', async (t) => {
  const { appliance, nginx } = t.context;
  const account = await consoleAccount(appliance, 'auditor');
  const res = await nginx.agent().post('/admin/login').type('form').send(account);
  t.is(res.status, 302);
  const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((line) => line.startsWith('appliance_console='));
  t.truthy(cookie);
  t.regex(cookie!, /;\s*Secure/i);
  t.regex(cookie!, /;\s*HttpOnly/i);
  t.regex(res.headers['strict-transport-security'] ?? '', /max-age=\d+/);
});

test('the WebSocket through nginx signs in by subprotocol, and the user token stays out of nginx\'s access log', async (t) => {
  const { appliance, nginx } = t.context;
  const alice = await appliance.user(appliance.servers.corporate, 'wss-alice');
  const wss = `${nginx.url.replace(/^https/, 'wss')}/ws`;
  const socket = new WebSocket(wss, websocketProtocols(alice.token), { ca: nginx.certificate });
  const hello = await new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data))));
    socket.once('error', reject);
  });
  t.like(hello, { type: 'hello' });
  t.is(socket.protocol, 'appliance.events');
  socket.close();
  const inUrl = new WebSocket(`${wss}?token=not-a-real-token`, { ca: nginx.certificate });
  t.is(await new Promise<number | undefined>((resolve) => inUrl.once('unexpected-response', (_request, response) => resolve(response.statusCode))), 401);
  const log = await nginx.accessLog();
  t.regex(log, /GET \/ws HTTP/);
  t.false(log.includes(alice.token.split('.').at(-1)!), 'the token\'s signature is nowhere in the access log');
});

test('synthetic media is refused through nginx, even for the self-test\'s own users', async (t) => {
  const { appliance, nginx } = t.context;
  const secret = await selftestSecret(appliance.dataDir);
  const mode = await appliance.appliance.orm.em.fork().findOneOrFail(RecordingMode, { isDefault: true });
  await registerSelftestServer(appliance.appliance.orm, secret, mode.id);
  const robot = await appliance.user({ id: SELFTEST_SERVER.id, name: SELFTEST_SERVER.name, secret }, 'selftest-nginx');
  const id = (await appliance.as(robot).post('/api/conferences', { title: 'Самопроверка' }).expect(201)).body.id as string;
  const camera = { kind: 'video', source: 'camera', ssrc: 4321, lifetimeSeconds: 60 };
  const proxied = await nginx.agent().post(`/api/conferences/${id}/ingests`).set('Authorization', `Bearer ${robot.token}`).send(camera);
  t.is(proxied.status, 403);
  t.regex(proxied.body.error.message, /not through a proxy/);
  t.deepEqual(appliance.appliance.sfu.producersOf(id), []);
});

let dataDir = os.tmpdir();

/** formidable names its files upload_<hex>, straight in the system's temp directory unless told otherwise. */
async function uploadFiles(): Promise<Set<string>> {
  const listing = async (dir: string, recursive: boolean) =>
    (await fs.readdir(dir, { recursive }).catch(() => [] as string[])).filter((name) => /upload_[0-9a-f]+/.test(name)).map((name) => `${dir}/${name}`);
  return new Set([...(await listing(os.tmpdir(), false)), ...(await listing(dataDir, true))]);
}

/** A multipart post of one file of `bytes` bytes, streamed; its status, or how the connection ended. */
function postMultipart(url: string, bytes: number, options: { chunked?: boolean; cookie?: string } = {}): Promise<number | string> {
  const boundary = `----form${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.org\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': `multipart/form-data; boundary=${boundary}`, ...(options.cookie ? { Cookie: options.cookie } : {}) };
  if (!options.chunked) headers['Content-Length'] = head.length + bytes + tail.length;
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.write(head);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

test.serial('large multipart posts to the sign-in page are refused and leave no file behind', async (t) => {
  const { appliance } = t.context;
  dataDir = appliance.dataDir;
  const before = await uploadFiles();
  for (const chunked of [false, true]) {
    const status = await postMultipart(`${appliance.url}/admin/login`, 50 * 1024 * 1024, { chunked });
    t.true(status === 413 || status === 415, `chunked ${chunked}: ${status}`);
  }
  // formidable would have removed nothing by now; give any late write a moment to show.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = [...(await uploadFiles())].filter((name) => !before.has(name));
  t.deepEqual(after, []);
  const through = await t.context.nginx.agent().post('/admin/login').attach('file', Buffer.alloc(2 * 1024 * 1024), 'big.bin').ok(() => true);
  t.is(through.status, 413);
});

test.serial('a signed-in admin may not upload files either, and the forms keep their limit', async (t) => {
  const { appliance } = t.context;
  const agent = await signedIn(appliance, await consoleAccount(appliance, 'admin'));
  const cookie = (await agent.jar.getCookies({ domain: '127.0.0.1', path: '/admin', secure: false, script: false })).map((c) => `${c.name}=${c.value}`).join('; ');
  t.truthy(cookie);
  const before = await uploadFiles();
  t.is(await postMultipart(`${appliance.url}/admin/api/resources/servers/actions/new`, 10 * 1024, { cookie }), 415);
  t.is(await postMultipart(`${appliance.url}/admin/api/resources/servers/actions/new`, 5 * 1024 * 1024, { cookie }), 413);
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.deepEqual([...(await uploadFiles())].filter((name) => !before.has(name)), []);
  const unsigned = await appliance.as().post('/admin/api/resources/servers/actions/new', { name: 'x' });
  t.is(unsigned.status, 302, 'before sign-in the body is not read, only sent to the sign-in page');
});
