import test from 'ava';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { EventSocket } from '../helpers/test-appliance.ts';
import { eventually } from '../webhooks/delivery-fixtures.ts';

const app = TestAppliance.forFile(test, import.meta.filename);
const CONFERENCES = 12;

async function cachedAudiences(): Promise<number> {
  const health = await app().as().get('/healthz').expect(200);
  return health.body.components.websocket.details.conferenceAudiences;
}

test('the hub forgets a conference once none of its participants is connected, and still delivers after it forgot', async (t) => {
  const a = app();
  const server = a.servers.corporate;
  const conferences: Array<{ id: string; creator: Awaited<ReturnType<typeof a.user>> }> = [];
  const sockets: EventSocket[] = [];
  for (let i = 0; i < CONFERENCES; i++) {
    const creator = await a.user(server, `creator-${i}`);
    const guest = await a.user(server, `guest-${i}`);
    const creatorSocket = await a.socket(creator);
    const guestSocket = await a.socket(guest);
    sockets.push(creatorSocket, guestSocket, await a.socket(guest));
    const { id } = (await a.as(creator).post('/api/conferences', { title: `Совещание ${i}` }).expect(201)).body;
    await a.as(guest).post(`/api/conferences/${id}/join`).expect(200);
    await creatorSocket.next((e) => e.type === 'participant.joined' && e.conferenceId === id);
    conferences.push({ id, creator });
  }
  t.is(await cachedAudiences(), CONFERENCES);

  for (const socket of sockets) socket.close();
  await eventually(async () => (await cachedAudiences()) === 0, 'every conference audience to be forgotten');

  const { id, creator } = conferences[0]!;
  const again = await a.socket(creator);
  await a.as(await a.user(server, 'late-guest')).post(`/api/conferences/${id}/join`).expect(200);
  t.like(await again.next((e) => e.type === 'participant.joined'), { conferenceId: id });
  again.close();
  await eventually(async () => (await cachedAudiences()) === 0, 'the audience to be forgotten again');
});
