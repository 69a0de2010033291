import * as jose from 'jose';
import test from 'ava';
import { WebSocket } from 'ws';
import { signUserToken } from '../../appliance/auth/user-token.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

test('bad input is a 400 naming the field, and changes nothing', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice');
  const cases: Array<[string, object, string]> = [
    ['/api/conferences', {}, 'title'],
    ['/api/conferences', { title: '' }, 'title'],
    ['/api/conferences', { title: 'x'.repeat(201) }, 'title'],
    ['/api/conferences', { title: 'ok', extra: 1 }, 'extra'],
    ['/api/conferences', { title: 42 }, 'title'],
  ];
  for (const [url, body, field] of cases) {
    const res = await a.as(alice).post(url, body).expect(400);
    t.is(res.body.error.code, 'invalid', JSON.stringify(body));
    t.is(res.body.error.field, field, JSON.stringify(body));
  }
  t.deepEqual((await a.as(alice).get('/api/conferences')).body, { active: [], completed: [] });
  const id = (await a.as(alice).post('/api/conferences', { title: '  Пробелы   по краям ' }).expect(201)).body.id;
  t.is((await a.as(alice).get(`/api/conferences/${id}`)).body.title, 'Пробелы по краям');
  const badStop = await a.as(alice).post(`/api/conferences/${id}/recording/stop`, { control: 'remote' }).expect(400);
  t.regex(badStop.body.error.message, /timer, menu/);
  const badAnswer = await a.as(alice).post(`/api/conferences/${id}/prompt`, { answer: 'maybe' }).expect(400);
  t.is(badAnswer.body.error.field, 'answer');
  const badId = await a.as(alice).get('/api/conferences/not-a-uuid').expect(400);
  t.is(badId.body.error.field, 'conferenceId');
  const badQuery = await a.as(alice).get(`/api/conferences/${id}/chat?limit=9999`).expect(400);
  t.is(badQuery.body.error.field, 'limit');
  await a.as(alice).get('/api/conferences/00000000-0000-4000-8000-000000000000').expect(404);
  const malformed = await a.as(alice).post('/api/conferences').set('Content-Type', 'application/json').send('{"title": ').expect(400);
  t.regex(malformed.body.error.message, /not valid JSON/);
  t.falsy(JSON.stringify(malformed.body).includes('at '), 'no stack trace');
});

test('tokens: none, unknown server, bad signature, expired, missing claims are all 401', async (t) => {
  const a = app();
  const server = a.servers.corporate;
  const unknownServer = await signUserToken({ sub: 'x', name: 'x', server: '00000000-0000-4000-8000-000000000000' }, server.secret);
  const badSignature = await signUserToken({ sub: 'x', name: 'x', server: server.id }, 'not-the-secret');
  const expired = await new jose.SignJWT({ name: 'x', server: server.id }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode(server.secret));
  const noExpiry = await new jose.SignJWT({ name: 'x', server: server.id }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode(server.secret));
  const otherServersKey = await signUserToken({ sub: 'x', name: 'x', server: a.servers.regional.id }, server.secret);
  const cases: Array<[string | undefined, RegExp]> = [
    [undefined, /no token/],
    ['garbage', /not a JWT/],
    [unknownServer, /not registered/],
    [badSignature, /signature/],
    [otherServersKey, /signature/],
    [expired, /expired/],
    [noExpiry, /"exp"/],
  ];
  for (const [token, message] of cases) {
    const req = a.as().get('/api/conferences');
    if (token) req.set('Authorization', `Bearer ${token}`);
    const res = await req.expect(401);
    t.is(res.body.error.code, 'unauthenticated');
    t.regex(res.body.error.message, message);
  }
});

test('a server may sign with a public key (ES256)', async (t) => {
  const a = app();
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const em = a.appliance.orm.em.fork();
  const { MessengerServer } = await import('../../appliance/db/entities/index.ts');
  const id = crypto.randomUUID();
  em.create(MessengerServer, { id, name: 'Ключевой', kind: 'corporate', tokenKey: await jose.exportSPKI(publicKey), mayControlRecording: true });
  await em.flush();
  const token = await new jose.SignJWT({ name: 'Пётр', server: id }).setProtectedHeader({ alg: 'ES256' }).setSubject('petr').setExpirationTime('1h').sign(privateKey);
  const me = await a.as().get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  t.is(me.body.name, 'Пётр');
  t.is(me.body.server.id, id);
});

test('the OpenAPI document describes every route, with the WebSocket events beside it', async (t) => {
  const a = app();
  const doc = (await a.as().get('/api/openapi.json').expect(200)).body;
  t.is(doc.openapi, '3.1.0');
  for (const path of ['/api/conferences', '/api/conferences/{conferenceId}/recording/start', '/api/conferences/{conferenceId}/prompt', '/api/conferences/{conferenceId}/chat']) {
    t.truthy(doc.paths[path], path);
  }
  t.deepEqual(doc.paths['/api/conferences'].post.requestBody.content['application/json'].schema.required, ['title']);
  t.truthy(doc.paths['/api/conferences/{conferenceId}/recording/start'].post.responses['403']);
  t.truthy(doc['x-websocket'].events['consent.requested']);
  t.truthy(doc['x-websocket'].events['recording.timer']);
});

/** How the appliance answers a WebSocket opening: the status and body of a refusal, or the subprotocol it chose. */
function opening(socket: WebSocket): Promise<{ status: number; body: string } | { protocol: string }> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      resolve({ protocol: socket.protocol });
      socket.close();
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

test('the WebSocket takes the token as a subprotocol or an Authorization header, never in the URL where access logs keep it', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice');
  const ws = `${a.url.replace('http', 'ws')}/ws`;
  t.like(await opening(new WebSocket(ws, ['appliance.events', 'bearer.garbage'])), { status: 401 });
  t.like(await opening(new WebSocket(ws)), { status: 401 });

  const inUrl = await opening(new WebSocket(`${ws}?token=${encodeURIComponent(alice.token)}`));
  t.like(inUrl, { status: 401 });
  t.regex((inUrl as { body: string }).body, /not in the URL.*Sec-WebSocket-Protocol.*Authorization/s);

  t.deepEqual(await opening(new WebSocket(ws, ['appliance.events', `bearer.${alice.token}`])), { protocol: 'appliance.events' });
  t.deepEqual(await opening(new WebSocket(ws, { headers: { Authorization: `Bearer ${alice.token}` } })), { protocol: '' });
});

test('/healthz is 200 with every component, and 503 once the database is gone', async (t) => {
  const separate = await TestAppliance.start(import.meta.filename);
  try {
    const ok = await separate.as().get('/healthz').expect(200);
    t.true(ok.body.ok);
    t.deepEqual(Object.keys(ok.body.components).sort(), ['database', 'recorder', 'sfu', 'websocket']);
    await separate.database.drop();
    const down = await separate.as().get('/healthz').expect(503);
    t.false(down.body.ok);
    t.false(down.body.components.database.ok);
    t.truthy(down.body.components.database.details.error);
  } finally {
    await separate.stop();
  }
});
