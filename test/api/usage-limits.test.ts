import test from 'ava';
import { SELFTEST_SERVER, registerSelftestServer, selftestSecret } from '../../appliance/auth/selftest-identity.ts';
import { RecordingMode } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename, {
  environment: { LIMIT_OPEN_CONFERENCES_PER_USER: '2', LIMIT_TRANSPORTS_PER_PARTICIPANT: '2', LIMIT_CONSUMERS_PER_PARTICIPANT: '3' },
});

test('one user opens no more conferences than the limit (429), others are not held back, and ending one lets them open another', async (t) => {
  const a = app();
  const greedy = await a.user(a.servers.corporate, 'greedy');
  const other = await a.user(a.servers.corporate, 'other');
  const [first] = await Promise.all([1, 2].map(async (n) => (await a.as(greedy).post('/api/conferences', { title: `Комната ${n}` }).expect(201)).body.id as string));
  const refused = await a.as(greedy).post('/api/conferences', { title: 'Комната 3' }).expect(429);
  t.is(refused.body.error.code, 'limit_reached');
  t.regex(refused.body.error.message, /already have 2 open conferences/);
  const listed = (await a.as(greedy).get('/api/conferences').expect(200)).body;
  t.false(JSON.stringify(listed).includes('Комната 3'), 'the refused conference was not created');

  await a.as(other).post('/api/conferences', { title: 'Чужая комната' }).expect(201);
  await a.as(greedy).post(`/api/conferences/${first}/leave`, {}).expect(200);
  await a.as(greedy).post('/api/conferences', { title: 'Комната 3' }).expect(201);
});

/** `user`'s media requests over their WebSocket, each answered by its id. */
async function mediaOf(user: TestUser) {
  const socket = await app().socket(user);
  const ask = async (request: Record<string, unknown>) => {
    socket.socket.send(JSON.stringify(request));
    return socket.next((event) => event.id === request.id);
  };
  return { socket, ask };
}

test('a participant gets no more media transports than the limit, refused with limit_reached', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'transport-alice');
  const { id } = (await a.as(alice).post('/api/conferences', { title: 'Транспорты' }).expect(201)).body;
  const { socket, ask } = await mediaOf(alice);
  t.like(await ask({ id: 1, method: 'media.join', conferenceId: id }), { ok: true });
  t.like(await ask({ id: 2, method: 'media.createTransport', conferenceId: id, direction: 'send' }), { ok: true });
  t.like(await ask({ id: 3, method: 'media.createTransport', conferenceId: id, direction: 'recv' }), { ok: true });
  const refused = await ask({ id: 4, method: 'media.createTransport', conferenceId: id, direction: 'recv' });
  t.like(refused, { ok: false, error: { code: 'limit_reached' } });
  t.regex((refused.error as { message: string }).message, /already have 2 media transports/);
  t.is(a.appliance.sfu.counts().transports.webrtc, 2);
  socket.close();
});

test('a participant receives no more streams than the limit: the next consume is refused and creates nothing', async (t) => {
  const a = app();
  // A synthetic camera of the self-test's server gives the conference a producer without a browser.
  const mode = await a.appliance.orm.em.fork().findOneOrFail(RecordingMode, { isDefault: true });
  const secret = await selftestSecret(a.dataDir);
  await registerSelftestServer(a.appliance.orm, secret, mode.id);
  const robot = await a.user({ id: SELFTEST_SERVER.id, name: SELFTEST_SERVER.name, secret }, 'limits-robot');
  const { id } = (await a.as(robot).post('/api/conferences', { title: 'Потребители' }).expect(201)).body;
  const camera = (await a.as(robot).post(`/api/conferences/${id}/ingests`, { kind: 'video', source: 'camera', ssrc: 4321, lifetimeSeconds: 60 }).expect(201)).body;

  const viewer = await a.user(a.servers.corporate, 'consumer-viewer');
  await a.as(viewer).post(`/api/conferences/${id}/join`).expect(200);
  const { socket, ask } = await mediaOf(viewer);
  const joined = await ask({ id: 1, method: 'media.join', conferenceId: id });
  const rtpCapabilities = (joined.data as { routerRtpCapabilities: unknown }).routerRtpCapabilities;
  const transport = await ask({ id: 2, method: 'media.createTransport', conferenceId: id, direction: 'recv' });
  const transportId = (transport.data as { transportId: string }).transportId;
  for (let n = 3; n < 6; n++) t.like(await ask({ id: n, method: 'media.consume', conferenceId: id, transportId, producerId: camera.id, rtpCapabilities }), { ok: true });
  const refused = await ask({ id: 6, method: 'media.consume', conferenceId: id, transportId, producerId: camera.id, rtpCapabilities });
  t.like(refused, { ok: false, error: { code: 'limit_reached' } });
  t.regex((refused.error as { message: string }).message, /already receive 3 media streams/);
  t.is(a.appliance.sfu.counts().consumers.video, 3);
  socket.close();
});
