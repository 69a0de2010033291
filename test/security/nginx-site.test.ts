/**
 * The nginx site of the Ansible role, run by Debian's nginx in front of a server that answers with
 * the headers it received: every location forwards the client's address and scheme, answers with
 * HSTS (and, for the console, may not be framed), and takes bodies only up to its limit.
 */
import anyTest, { type TestFn } from 'ava';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NginxProxy } from '../helpers/nginx-proxy.ts';

const test = anyTest as TestFn<{ nginx: NginxProxy; echo: http.Server }>;

test.before(async (t) => {
  const echo = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.setHeader('Content-Type', 'application/json').end(JSON.stringify(req.headers)));
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  t.context.echo = echo;
  t.context.nginx = await NginxProxy.start(`127.0.0.1:${(echo.address() as AddressInfo).port}`);
});

test.after.always(async (t) => {
  await t.context.nginx?.stop();
  t.context.echo?.close();
});

// One path per location of the site, /metrics included (the defaults allow it from loopback).
const LOCATIONS = ['/ws', '/metrics', '/admin/login', '/admin/resources/servers', '/api/me', '/'];

test('every location forwards the client\'s address, scheme and host, never an address the client claims', async (t) => {
  for (const location of LOCATIONS) {
    const res = await t.context.nginx.agent().get(location).set('X-Forwarded-For', '203.0.113.7').set('X-Real-IP', '203.0.113.7').expect(200);
    t.like(res.body, { 'x-real-ip': '127.0.0.1', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'https', host: '127.0.0.1' }, location);
  }
});

test('every location answers with HSTS; the console\'s pages may not be framed, the others may', async (t) => {
  for (const location of LOCATIONS) {
    const res = await t.context.nginx.agent().get(location).expect(200);
    t.regex(res.headers['strict-transport-security'] ?? '', /^max-age=31536000$/, location);
    t.is(res.headers['x-content-type-options'], 'nosniff', location);
    const console = location.startsWith('/admin');
    t.is(res.headers['x-frame-options'], console ? 'DENY' : undefined, location);
    t.is(res.headers['content-security-policy'], console ? "frame-ancestors 'none'" : undefined, location);
  }
});

test('each location takes a body up to its own limit', async (t) => {
  const status = async (location: string, bytes: number) =>
    (await t.context.nginx.agent().post(location).type('form').send(`a=${'x'.repeat(bytes - 2)}`).ok(() => true)).status;
  t.is(await status('/admin/login', 7 * 1024), 200);
  t.is(await status('/admin/login', 9 * 1024), 413);
  t.is(await status('/admin/resources/servers/actions/new', 1000 * 1024), 200);
  t.is(await status('/admin/resources/servers/actions/new', 1100 * 1024), 413);
  t.is(await status('/api/conferences', 250 * 1024), 200);
  t.is(await status('/api/conferences', 300 * 1024), 413);
});

test('plain HTTP is sent to HTTPS', async (t) => {
  const nginx = t.context.nginx;
  const port = Number(/listen (\d+) default_server/.exec(await nginx.siteConfig())?.[1]);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ port, host: '127.0.0.1', path: '/admin' }, resolve).on('error', reject));
  res.resume();
  t.is(res.statusCode, 301);
  t.is(res.headers.location, `https://127.0.0.1:${nginx.httpsPort}/admin`);
});
