import test from 'ava';
import type { WebSocketRoute } from 'playwright-core';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';
import { Person, until } from './web-harness.ts';

/**
 * What goes wrong, and what the client then tells the user: the camera refused, the connection
 * to the appliance lost, the media server's workers dead. Each test has a conference of its own;
 * they run one after another, as killing the workers cuts every conference's media.
 */
const app = TestAppliance.forFile(test, import.meta.filename);

interface Participant {
  person: Person;
  user: TestUser;
}

async function open(sub: string, name: string, options: Parameters<typeof Person.open>[2] = {}): Promise<Participant> {
  const user = await app().user(app().servers.corporate, sub, name);
  return { person: await Person.open(app().url, user, options), user };
}

/** The first creates a conference; everyone opens its link. */
async function conferenceWith(...participants: Participant[]): Promise<string> {
  const id = (await app().as(participants[0]!.user).post('/api/conferences', { title: 'Сбои' }).expect(201)).body.id as string;
  for (const { person } of participants) await person.page.goto(`/#/c/${id}`);
  return id;
}

/** Bytes of remote video that arrived on the connections still open, summed. */
async function videoBytes(person: Person): Promise<number> {
  return (await person.receivedMedia()).inbound.filter((s) => s.kind === 'video').reduce((sum, s) => sum + s.bytes, 0);
}

async function peerConnections(person: Person): Promise<{ open: number; closed: number }> {
  return person.page.evaluate(() => {
    const all = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const closed = all.filter((pc) => pc.connectionState === 'closed').length;
    return { open: all.length - closed, closed };
  });
}

/** The media was entered anew: the connections open `before` are closed, new ones carry video. */
async function mediaCameBack(person: Person, before: { open: number }): Promise<number> {
  await until(`${person.name}'s connections`, () => peerConnections(person), (pcs) => pcs.closed >= before.open && pcs.open > 0, 30_000);
  return until(`video at ${person.name}`, () => videoBytes(person), (bytes) => bytes > 20_000, 30_000);
}

test.serial('camera and microphone refused: the user is told, and still sees and hears the others', async (t) => {
  const alice = await open('alice-d', 'Алиса');
  const denied = await open('denis', 'Денис', { denyDevices: true });
  try {
    await conferenceWith(alice, denied);
    const page = denied.person.page;
    await page.locator('.notice', { hasText: 'Нет доступа к камере и микрофону' }).waitFor();
    t.true(await page.getByRole('button', { name: 'Выключить камеру' }).isDisabled());
    const media = await until('Алиса\'s video at Денис', () => denied.person.receivedMedia(), (m) => m.framesByName['Алиса']! > 0, 30_000);
    t.true(media.framesByName['Алиса']! > 0);
    await denied.person.screenshot('camera-denied');
  } finally {
    await Promise.all([alice.person.close(), denied.person.close()]);
  }
});

test.serial('connection lost: the client says so, retries with growing delays, then catches up and rejoins the media', async (t) => {
  const alice = await open('alice-c', 'Алиса');
  const boris = await open('boris-c', 'Борис');
  let cutOff = false;
  const sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
  // Boris's WebSocket goes through the test, which can cut it and refuse new ones.
  await boris.person.page.routeWebSocket(/\/ws/, (page) => {
    if (cutOff) return void page.close({ code: 4000, reason: 'network down' });
    sockets.push({ page, server: page.connectToServer() });
  });
  try {
    const id = await conferenceWith(alice, boris);
    const page = boris.person.page;
    await until('Алиса\'s video at Борис', () => boris.person.receivedMedia(), (m) => m.framesByName['Алиса']! > 0, 30_000);
    const before = await peerConnections(boris.person);

    cutOff = true;
    for (const socket of sockets.splice(0)) {
      await socket.server.close();
      await socket.page.close({ code: 4000, reason: 'network down' });
    }
    const lost = page.locator('.notice', { hasText: 'Соединение с сервером потеряно' });
    await lost.filter({ hasText: 'попытка 1' }).waitFor();
    await lost.filter({ hasText: 'попытка 2' }).waitFor({ timeout: 5000 });
    const third = await lost.filter({ hasText: 'попытка 3' }).textContent({ timeout: 8000 });
    t.true(Number(/через (\d+) с/.exec(third ?? '')![1]) >= 3, `the delay grows: ${third}`);
    await boris.person.screenshot('connection-lost');

    // Meanwhile the conference goes on without him.
    await app().as(alice.user).post(`/api/conferences/${id}/chat`, { text: 'Пока тебя не было' }).expect(201);
    cutOff = false;
    await page.locator('.notice', { hasText: 'Соединение восстановлено' }).waitFor({ timeout: 20_000 });
    await boris.person.openPanel('chat');
    await page.locator('.chat-message', { hasText: 'Пока тебя не было' }).waitFor();
    t.true((await mediaCameBack(boris.person, before)) > 0);
  } finally {
    await Promise.all([alice.person.close(), boris.person.close()]);
  }
});

test.serial('a connection slow to open: the media waits for it rather than giving up, and the video comes', async (t) => {
  const alice = await open('alice-s', 'Алиса');
  const boris = await open('boris-s', 'Борис');
  // Boris's WebSocket reaches the appliance only after his page has loaded and asked for the media.
  await boris.person.page.routeWebSocket(/\/ws/, async (socket) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    socket.connectToServer();
  });
  try {
    await conferenceWith(alice, boris);
    const media = await until('Алиса\'s video at Борис', () => boris.person.receivedMedia(), (m) => m.framesByName['Алиса']! > 0, 30_000);
    t.true(media.framesByName['Алиса']! > 0);
    t.false((await boris.person.noticesShown()).some((text) => text.includes('Видео и звук')), 'no media error was shown');
  } finally {
    await Promise.all([alice.person.close(), boris.person.close()]);
  }
});

test.serial('the media workers die: the client is told to rejoin (media.restart) and the video comes back', async (t) => {
  const alice = await open('alice-w', 'Алиса');
  const boris = await open('boris-w', 'Борис');
  try {
    await conferenceWith(alice, boris);
    await until('Алиса\'s video at Борис', () => boris.person.receivedMedia(), (m) => m.framesByName['Алиса']! > 0, 30_000);
    const before = await peerConnections(boris.person);
    const health = (await app().as().get('/healthz')).body;
    for (const worker of health.components.sfu.details.workers as Array<{ pid: number }>) process.kill(worker.pid, 'SIGKILL');
    await until('the notices Борис saw', () => boris.person.noticesShown(), (shown) => shown.some((text) => text.includes('Медиасервер перезапущен')));
    await mediaCameBack(boris.person, before);
    // Back to normal: no notice about the media is left.
    t.is(await boris.person.page.locator('.notice', { hasText: 'Видео и звук' }).count(), 0);
  } finally {
    await Promise.all([alice.person.close(), boris.person.close()]);
  }
});
