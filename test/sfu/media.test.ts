import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { SfuEvents } from '../../appliance/sfu/sfu-events.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';
import { MediaBrowser } from './harness/media-browser.ts';
import type { MediaPage } from './harness/media-browser.ts';
import type { PageStatus } from './harness/media-page.ts';

// A real worker and a real Chromium in every test. They share one appliance and one browser and
// run one after another: two pages encoding and decoding video already keep two cores busy.
const app = TestAppliance.forFile(test, import.meta.filename);
let browser: MediaBrowser | undefined;
test.before(async () => {
  browser = await MediaBrowser.launch();
});
test.after.always(async () => {
  await browser?.close();
});

interface Person {
  user: TestUser;
  userId: string;
}

async function person(sub: string, server: 'corporate' | 'otherCorporate' = 'corporate'): Promise<Person> {
  const a = app();
  const user = await a.user(a.servers[server], sub);
  const me = await a.as(user).get('/api/me').expect(200);
  return { user, userId: me.body.userId };
}

async function conferenceOf(creator: Person, ...others: Person[]): Promise<string> {
  const a = app();
  const id: string = (await a.as(creator.user).post('/api/conferences', { title: 'Медиа' }).expect(201)).body.id;
  for (const other of others) await a.as(other.user).post(`/api/conferences/${id}/join`).expect(200);
  return id;
}

/** A page of `who`'s, closed when the test ends however it ends. */
async function openPage(t: ExecutionContext, who: Person): Promise<MediaPage> {
  const page = await browser!.open(who.user, app().url);
  t.teardown(() => page.close());
  return page;
}

/** Every video from `userId` has a size and has shown at least `frames` frames. */
const seesVideoOf = (userId: string, frames = 15) => (status: PageStatus) => {
  const videos = status.videos.filter((video) => video.userId === userId);
  return videos.length > 0 && videos.every((video) => video.width > 0 && video.frames >= frames);
};

/** Told that the other's two producers went, and that the two consumers of them closed. */
const toldOfTwoRemovals = (status: PageStatus) => (['media.producer_removed', 'media.consumer_closed'] as const).every((type) => status.events.filter((e) => e.type === type).length === 2);

async function eventually<T>(what: string, probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function nextSfuEvent<K extends keyof SfuEvents>(name: K, match: (...args: SfuEvents[K]) => boolean): Promise<SfuEvents[K]> {
  const sfu = app().appliance.sfu;
  return new Promise((resolve) => {
    const listener = (...args: SfuEvents[K]) => {
      if (!match(...args)) return;
      sfu.off(name, listener as never);
      resolve(args);
    };
    sfu.on(name, listener as never);
  });
}

/** Both pages show the other's video, and every consumer on the server has sent media. */
async function mediaFlowsBetween(id: string, [first, firstPage]: [Person, MediaPage], [second, secondPage]: [Person, MediaPage]) {
  await firstPage.waitFor(`video of ${second.user.name}`, seesVideoOf(second.userId));
  await secondPage.waitFor(`video of ${first.user.name}`, seesVideoOf(first.userId));
  const sfu = app().appliance.sfu;
  return eventually('bytes on all four consumers', () => sfu.consumerTraffic(id), (traffic) => traffic.length === 4 && traffic.every((consumer) => consumer.bytes > 1000));
}

test.serial('two participants send camera and microphone and receive each other: bytes on the server, frames in the pages', async (t) => {
  const a = app();
  const sfu = a.appliance.sfu;
  const alice = await person('media-alice');
  const bob = await person('media-bob', 'otherCorporate');
  const id = await conferenceOf(alice, bob);
  const [alicePage, bobPage] = await Promise.all([openPage(t, alice), openPage(t, bob)]);
  const opened = nextSfuEvent('roomOpened', (event) => event.conferenceId === id);
  await Promise.all([alicePage.join(id), bobPage.join(id)]);
  t.is((await opened)[0].conferenceId, id);

  const traffic = await mediaFlowsBetween(id, [alice, alicePage], [bob, bobPage]);
  t.deepEqual(traffic.map((consumer) => consumer.kind).sort(), ['audio', 'audio', 'video', 'video']);
  t.deepEqual([...new Set(traffic.map((consumer) => consumer.userId))].sort(), [alice.userId, bob.userId].sort());

  // Decoding goes on: the receiving video's clock advances and frames keep coming.
  const before = (await alicePage.status()).videos[0]!;
  const after = await alicePage.waitFor('more frames', (status) => status.videos[0]!.frames > before.frames + 10 && status.videos[0]!.currentTime > before.currentTime);
  t.true(after.videos[0]!.width > 0);
  t.true((await alicePage.status()).bytesReceived > 0);

  const producers = sfu.producersOf(id);
  t.deepEqual(producers.map((p) => `${p.userId === alice.userId ? 'alice' : 'bob'} ${p.source} ${p.kind}`).sort(), ['alice camera video', 'alice microphone audio', 'bob camera video', 'bob microphone audio']);

  const health = await a.as().get('/healthz').expect(200);
  const details = health.body.components.sfu.details;
  t.true(health.body.components.sfu.ok);
  t.true(details.workers.length >= 1 && details.workers.every((worker: { pid: number; ok: boolean }) => worker.pid > 0 && worker.ok));
  t.like(details, { rooms: 1, transports: { webrtc: 4 }, producers: { audio: 2, video: 2 }, consumers: { audio: 2, video: 2 } });
  t.like(sfu.counts(), { routers: 1, producers: { audio: 2, video: 2 } });

  // Closing the tab (its only WebSocket) ends bob's media; alice is told and her consumers close.
  await bobPage.close();
  await alicePage.waitFor('producer_removed and consumer_closed ×2', toldOfTwoRemovals);
  t.deepEqual(sfu.mediaParticipants(id), [alice.userId]);
  t.true(sfu.producersOf(id).every((p) => p.userId === alice.userId));

  // The last one out closes the room.
  const closed = nextSfuEvent('roomClosed', (event) => event.conferenceId === id);
  await alicePage.close();
  t.is((await closed)[0].reason, 'empty');
  t.like(sfu.counts(), { routers: 0, transports: { webrtc: 0 }, producers: { audio: 0, video: 0 }, consumers: { audio: 0, video: 0 } });
});

test.serial('media requests are refused with clear codes: non-participants, unknown conferences, malformed requests, no join yet', async (t) => {
  const a = app();
  const alice = await person('refusal-alice');
  const carol = await person('refusal-carol');
  const id = await conferenceOf(alice);
  const socket = await a.socket(carol.user);
  const ask = async (request: Record<string, unknown>) => {
    socket.socket.send(JSON.stringify(request));
    return socket.next((event) => event.id === request.id);
  };
  t.like(await ask({ id: 1, method: 'media.join', conferenceId: id }), { id: 1, ok: false, error: { code: 'forbidden' } });
  t.like(await ask({ id: 2, method: 'media.join', conferenceId: '00000000-0000-4000-8000-000000000000' }), { ok: false, error: { code: 'not_found' } });
  t.like(await ask({ id: 3, method: 'media.join', conferenceId: 'nope' }), { ok: false, error: { code: 'invalid', field: 'conferenceId' } });
  t.like(await ask({ id: 4, method: 'media.fly', conferenceId: id }), { ok: false, error: { code: 'invalid', field: 'method' } });
  t.like(await ask({ id: 5, method: 'media.createTransport', conferenceId: id, direction: 'sideways' }), { ok: false, error: { code: 'invalid', field: 'direction' } });

  await a.as(carol.user).post(`/api/conferences/${id}/join`).expect(200);
  t.like(await ask({ id: 6, method: 'media.createTransport', conferenceId: id, direction: 'send' }), { ok: false, error: { code: 'conflict' } });
  const joined = await ask({ id: 7, method: 'media.join', conferenceId: id });
  t.like(joined, { ok: true, data: { producers: [] } });
  t.true(Array.isArray((joined.data as { routerRtpCapabilities: { codecs: unknown[] } }).routerRtpCapabilities.codecs));
  t.like(await ask({ id: 8, method: 'media.produce', conferenceId: id, transportId: 'nope', kind: 'video', source: 'camera', rtpParameters: {} }), { ok: false, error: { code: 'not_found' } });
  const transport = await ask({ id: 9, method: 'media.createTransport', conferenceId: id, direction: 'recv' });
  const transportId = (transport.data as { transportId: string }).transportId;
  t.like(await ask({ id: 10, method: 'media.produce', conferenceId: id, transportId, kind: 'video', source: 'camera', rtpParameters: {} }), { ok: false, error: { code: 'conflict' } });
  t.like(await ask({ id: 11, method: 'media.leave', conferenceId: id }), { ok: true });
  t.deepEqual(a.appliance.sfu.rooms().filter((room) => room.conferenceId === id), []);
  socket.close();
});

test.serial('a participant who leaves the conference loses their media: the others get producer_removed, a rejoin of the media is refused', async (t) => {
  const a = app();
  const sfu = a.appliance.sfu;
  const alice = await person('leave-alice');
  const bob = await person('leave-bob');
  const id = await conferenceOf(alice, bob);
  const [alicePage, bobPage] = await Promise.all([openPage(t, alice), openPage(t, bob)]);
  await Promise.all([alicePage.join(id), bobPage.join(id)]);
  await mediaFlowsBetween(id, [alice, alicePage], [bob, bobPage]);
  const bobProducers = sfu.producersOf(id).filter((p) => p.userId === bob.userId).map((p) => p.producerId).sort();
  const removed: string[] = [];
  const onRemoved = (producer: SfuEvents['producerRemoved'][0]) => removed.push(`${producer.producerId} ${producer.reason}`);
  sfu.on('producerRemoved', onRemoved);

  await a.as(bob.user).post(`/api/conferences/${id}/leave`).expect(200);
  const status = await alicePage.waitFor('producer_removed and consumer_closed ×2', toldOfTwoRemovals);
  sfu.off('producerRemoved', onRemoved);
  const told = status.events.flatMap((e) => (e.type === 'media.producer_removed' ? [e.producerId] : [])).sort();
  t.deepEqual(told, bobProducers);
  t.deepEqual(removed.sort(), bobProducers.map((producerId) => `${producerId} closed`));
  t.deepEqual(sfu.mediaParticipants(id), [alice.userId]);
  t.is(await bobPage.attempt('media.join', { conferenceId: id }), 'forbidden');

  // Everyone gone: the room closes with the conference.
  const closed = nextSfuEvent('roomClosed', (event) => event.conferenceId === id);
  await a.as(alice.user).post(`/api/conferences/${id}/leave`).expect(200);
  // Her leaving empties the media before the conference's end is announced.
  t.is((await closed)[0].reason, 'empty');
});

test.serial('the recorder tap sends a producer\'s RTP to a UDP port on 127.0.0.1, paused until started', async (t) => {
  const a = app();
  const sfu = a.appliance.sfu;
  const alice = await person('tap-alice');
  const id = await conferenceOf(alice);
  const page = await openPage(t, alice);
  await page.join(id);
  const camera = (await eventually('the camera producer', () => sfu.producersOf(id).find((p) => p.source === 'camera'), Boolean))!;
  const microphone = sfu.producersOf(id).find((p) => p.source === 'microphone')!;
  t.like(camera, { userId: alice.userId, kind: 'video', paused: false });

  const receiver = await UdpReceiver.bind(t);
  const video = await sfu.tapProducer(id, camera.producerId);
  await video.connect({ rtpPort: receiver.rtpPort, rtcpPort: receiver.rtcpPort });
  t.like(video, { userId: alice.userId, source: 'camera', kind: 'video', paused: true });
  t.like(video.stream, { codec: 'video/VP8', clockRate: 90000 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.is(receiver.rtp.length, 0, 'nothing is sent before start()');

  await video.start();
  await eventually('60 RTP packets', () => receiver.rtp.length, (count) => count >= 60);
  for (const packet of receiver.rtp.slice(0, 60)) {
    t.is(packet[0]! >> 6, 2);
    t.is(packet[1]! & 0x7f, video.stream.payloadType);
    t.is(packet.readUInt32BE(8), video.stream.ssrc);
  }
  await eventually('an RTCP sender report on the RTCP port', () => receiver.rtcp.length, (count) => count > 0, 10_000);
  t.true((await video.sent()).packets >= 60);

  const audioReceiver = await UdpReceiver.bind(t);
  const audio = await sfu.tapProducer(id, microphone.producerId);
  await audio.connect({ rtpPort: audioReceiver.rtpPort, rtcpPort: audioReceiver.rtcpPort });
  t.like(audio.stream, { codec: 'audio/opus', clockRate: 48000, channels: 2 });
  await audio.start();
  await eventually('opus packets', () => audioReceiver.rtp.length, (count) => count >= 20);
  t.true(audioReceiver.rtp.every((packet) => (packet[1]! & 0x7f) === audio.stream.payloadType));
  t.like(sfu.counts(), { transports: { plain: 2 }, consumers: { audio: 1, video: 1 } });

  // The producer goes (its tab closes) while someone else keeps the room open: the taps close by
  // themselves and say why.
  const carol = await person('tap-carol');
  await a.as(carol.user).post(`/api/conferences/${id}/join`).expect(200);
  const carolSocket = await a.socket(carol.user);
  t.teardown(() => carolSocket.close());
  carolSocket.socket.send(JSON.stringify({ id: 1, method: 'media.join', conferenceId: id }));
  t.like(await carolSocket.next((event) => event.id === 1), { ok: true });
  const reasons = Promise.all([video, audio].map((tap) => new Promise((resolve) => tap.once('closed', resolve))));
  await page.close();
  t.deepEqual(await reasons, ['producer-closed', 'producer-closed']);
  t.true(video.closed && audio.closed);
  t.like(sfu.counts(), { transports: { plain: 0 } });
});

test.serial('a worker that dies is replaced; its conference is told to restart, rejoins, and media flows again', async (t) => {
  const a = app();
  const sfu = a.appliance.sfu;
  const alice = await person('restart-alice');
  const bob = await person('restart-bob');
  const id = await conferenceOf(alice, bob);
  const [alicePage, bobPage] = await Promise.all([openPage(t, alice), openPage(t, bob)]);
  await Promise.all([alicePage.join(id), bobPage.join(id)]);
  await mediaFlowsBetween(id, [alice, alicePage], [bob, bobPage]);
  const { workerPid } = sfu.rooms().find((room) => room.conferenceId === id)!;
  const workersBefore = sfu.health().details!.workers as Array<{ pid: number }>;

  const restarted = nextSfuEvent('roomRestarted', (event) => event.conferenceId === id);
  const reopened = nextSfuEvent('roomOpened', (event) => event.conferenceId === id);
  process.kill(workerPid, 'SIGKILL');
  const [event] = await restarted;
  t.is(event.workerPid, workerPid);
  t.deepEqual([...event.userIds].sort(), [alice.userId, bob.userId].sort());

  for (const page of [alicePage, bobPage]) {
    const status = await page.waitFor('media.restart', (s) => s.restarts === 1);
    t.like(status.events.find((e) => e.type === 'media.restart'), { conferenceId: id });
  }
  const health = await eventually('a replaced worker', () => sfu.health(), (h) => h.ok);
  const pids = (health.details!.workers as Array<{ pid: number }>).map((worker) => worker.pid);
  t.is(pids.length, workersBefore.length);
  t.false(pids.includes(workerPid));

  // The pages rejoined by themselves: a new room, new producers, and media again both ways.
  const [{ workerPid: newPid }] = await reopened;
  t.true(pids.includes(newPid));
  await mediaFlowsBetween(id, [alice, alicePage], [bob, bobPage]);
  t.deepEqual((await alicePage.status()).errors, []);
});

/** RTP and RTCP sockets on 127.0.0.1 that keep what they receive: a stand-in for the recorder. */
class UdpReceiver {
  readonly rtp: Buffer[] = [];
  readonly rtcp: Buffer[] = [];
  readonly #sockets: dgram.Socket[];

  private constructor(sockets: dgram.Socket[]) {
    this.#sockets = sockets;
    sockets[0]!.on('message', (packet) => this.rtp.push(packet));
    sockets[1]!.on('message', (packet) => this.rtcp.push(packet));
  }

  /** Two sockets on 127.0.0.1, closed when the test ends. */
  static async bind(t: ExecutionContext): Promise<UdpReceiver> {
    const sockets = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<dgram.Socket>((resolve) => {
            const socket = dgram.createSocket('udp4');
            socket.bind(0, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    const receiver = new UdpReceiver(sockets);
    t.teardown(() => receiver.close());
    return receiver;
  }

  get rtpPort(): number {
    return (this.#sockets[0]!.address() as AddressInfo).port;
  }

  get rtcpPort(): number {
    return (this.#sockets[1]!.address() as AddressInfo).port;
  }

  close(): void {
    for (const socket of this.#sockets) socket.close();
  }
}
