import test from 'ava';
import type { DownloadPolicy } from '../../appliance/domain/index.ts';
import { MessengerServer } from '../../appliance/db/entities/index.ts';
import { ManualClock, TestAppliance } from '../helpers/test-appliance.ts';
import type { TestServer, TestUser } from '../helpers/test-appliance.ts';
import { FileWritingBackend, auditEntries, pathOf, recordAgain, recordConference } from './recording-fixtures.ts';

const clock = new ManualClock();
const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { clock: clock.now, backend });
const HOUR = 3_600_000;

async function setPolicy(server: TestServer, downloadPolicy: DownloadPolicy): Promise<void> {
  await app().appliance.orm.em.fork().nativeUpdate(MessengerServer, { id: server.id }, { downloadPolicy });
}

test.afterEach.always(async () => {
  await app().appliance.orm.em.fork().nativeUpdate(MessengerServer, {}, { downloadPolicy: 'anyone-with-link' });
});

interface Cast {
  alice: TestUser;
  /** Participants from the regional server and from the other corporate server. */
  bob: TestUser;
  eve: TestUser;
  /** Not in the conference: same corporate server, the other corporate server, the regional server. */
  carol: TestUser;
  dan: TestUser;
  rita: TestUser;
}

async function cast(tag: string): Promise<Cast> {
  const a = app();
  return {
    alice: await a.user(a.servers.corporate, `alice-${tag}`, 'Алиса'),
    bob: await a.user(a.servers.regional, `bob-${tag}`, 'Борис'),
    eve: await a.user(a.servers.otherCorporate, `eve-${tag}`, 'Ева'),
    carol: await a.user(a.servers.corporate, `carol-${tag}`, 'Карина'),
    dan: await a.user(a.servers.otherCorporate, `dan-${tag}`, 'Данила'),
    rita: await a.user(a.servers.regional, `rita-${tag}`, 'Рита'),
  };
}

test.serial('the matrix: who may download under each rule of the starter\'s server, by Bearer header; a user token in the URL is refused', async (t) => {
  const a = app();
  const c = await cast('matrix');
  const { links } = await recordConference(a, c.alice, [c.bob, c.eve], 'Матрица доступа');
  const video = pathOf(links[0]!);
  const viewers: Array<[string, TestUser | null]> = [['anonymous', null], ['alice', c.alice], ['bob', c.bob], ['eve', c.eve], ['carol', c.carol], ['dan', c.dan], ['rita', c.rita]];
  const expected: Record<DownloadPolicy, number[]> = {
    //                   anon alice bob  eve  carol dan  rita
    'anyone-with-link': [200, 200, 200, 200, 200, 200, 200],
    participants: [401, 200, 200, 200, 403, 403, 403],
    'same-server': [401, 200, 403, 403, 200, 403, 403],
  };
  for (const [policy, statuses] of Object.entries(expected) as Array<[DownloadPolicy, number[]]>) {
    await setPolicy(a.servers.corporate, policy);
    for (const [i, [who, user]] of viewers.entries()) {
      const viaHeader = await a.as(user ?? undefined).get(video);
      t.is(viaHeader.status, statuses[i]!, `${policy}, ${who}, Bearer header`);
      if (!user) continue;
      const viaQuery = await a.as().get(`${video}?token=${encodeURIComponent(user.token)}`);
      t.is(viaQuery.status, 400, `${policy}, ${who}, token parameter`);
      t.is(viaQuery.body.error.code, 'token_in_url');
      t.regex(viaQuery.body.error.message, /not in the URL, where access logs keep it.*Bearer header.*POST \/api\/recordings\/\{recordingId\}\/links/);
    }
  }
  await setPolicy(a.servers.corporate, 'participants');
  const anonymous = await a.as().get(video).expect(401);
  t.is(anonymous.headers['www-authenticate'], 'Bearer');
  t.is(anonymous.body.error.code, 'unauthenticated');
  t.regex(anonymous.body.error.message, /participants of «Матрица доступа» only: open the link from the messenger while signed in/);
  const outsider = await a.as(c.dan).get(video).expect(403);
  t.regex(outsider.body.error.message, /you did not take part/);
  await setPolicy(a.servers.corporate, 'same-server');
  const other = await a.as(c.rita).get(video).expect(403);
  t.regex(other.body.error.message, /users of the server «Головной офис» only; you signed in through «Региональный сервер»/);
  // Refused before it is even read: nothing in the URL is taken as a user's token.
  await a.as().get(`${video}?token=garbage`).expect(400);
});

test.serial("the rule is the recording starter's server's, not the downloader's or another participant's", async (t) => {
  const a = app();
  const c = await cast('owner');
  const first = await recordConference(a, c.alice, [c.eve], 'Чьё правило');
  await a.as(c.alice).post(`/api/conferences/${first.conferenceId}/admins`, { userId: (await a.as(c.eve).get('/api/me')).body.userId }).expect(200);
  const second = await recordAgain(a, c.eve, first.conferenceId);
  await setPolicy(a.servers.corporate, 'participants');
  await setPolicy(a.servers.otherCorporate, 'anyone-with-link');
  const status = async (user: TestUser | null, link: string) => (await a.as(user ?? undefined).get(pathOf(link))).status;
  t.is(await status(null, first.links[0]!), 401, "Alice's recording: her corporate server lets participants only");
  t.is(await status(null, second.links[0]!), 200, "Eve's recording: her server lets anyone with the link");
  // Tightening a rule closes the links already posted.
  await setPolicy(a.servers.otherCorporate, 'same-server');
  t.is(await status(null, second.links[0]!), 401);
  t.is(await status(c.alice, second.links[0]!), 403, 'a participant, but of another server');
  t.is(await status(c.dan, second.links[0]!), 200, "not a participant, but of Eve's server");
});

test.serial('tampered, cut-off and expired links are refused with JSON for programs and a page for browsers', async (t) => {
  const a = app();
  const c = await cast('links');
  const { links } = await recordConference(a, c.alice, [], 'Поддельные ссылки');
  const [video, audio] = links.map(pathOf) as [string, string];
  const [, , token, name] = video.split('/') as [string, string, string, string];
  const [fileId, expires, signature] = token.split('.') as [string, string, string];
  const audioFileId = audio.split('/')[2]!.split('.')[0]!;
  const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
  const forged = [
    `/d/${fileId}.${expires}.${flipped}/${name}`,
    `/d/${fileId}.${Number(expires) + 86_400}.${signature}/${name}`,
    `/d/${audioFileId}.${expires}.${signature}/${name}`,
  ];
  for (const link of forged) {
    const res = await a.as().get(link).expect(403);
    t.is(res.body.error.code, 'link_invalid', link);
  }
  await a.as().get(`/d/${fileId}.${expires}.${signature.slice(0, 20)}/${name}`).expect(404);
  const page = await a.as().get(forged[0]!).set('Accept', 'text/html,application/xhtml+xml').expect(403);
  t.regex(page.headers['content-type'] ?? '', /text\/html/);
  t.regex(page.text, /<h1[^>]*>Скачивание недоступно<\/h1>/);
  t.regex(page.text, /was altered/);

  await a.as().get(video).expect(200);
  clock.advance(a.appliance.config.downloads.linkTtlHours * HOUR + 1000);
  const expired = await a.as(c.alice).get(video).expect(410);
  t.is(expired.body.error.code, 'link_expired');
  t.regex(expired.body.error.message, /ask for a fresh one/);
  const expiredPage = await a.as().get(video).set('Accept', 'text/html').expect(410);
  t.regex(expiredPage.text, /Ссылка больше не действует/);
});

test.serial('a signed-in user asks for fresh links, unless the rule refuses them; every download is audited with its range', async (t) => {
  const a = app();
  const c = await cast('fresh');
  const { recordingId, links } = await recordConference(a, c.alice, [c.bob], 'Свежие ссылки');
  clock.advance(a.appliance.config.downloads.linkTtlHours * HOUR + 1000);
  await a.as().get(pathOf(links[0]!)).expect(410);
  await setPolicy(a.servers.corporate, 'participants');

  const fresh = await a.as(c.bob).post(`/api/recordings/${recordingId}/links`).expect(200);
  t.is(fresh.body.recordingId, recordingId);
  t.deepEqual(fresh.body.files.map((f: { kind: string }) => f.kind).sort(), ['audio', 'video']);
  t.is(new Date(fresh.body.expiresAt).getTime() - clock.now().getTime() <= a.appliance.config.downloads.linkTtlHours * HOUR, true);
  const video = fresh.body.files.find((f: { kind: string }) => f.kind === 'video');
  const part = await a.as(c.bob).get(pathOf(video.url)).set('Range', 'bytes=0-9').expect(206);
  t.is(part.headers['content-range'], 'bytes 0-9/50000');
  // Bob's fresh link names him, so a browser or player follows it with no token at all.
  await a.as().get(pathOf(video.url)).expect(200);
  await a.as().get(`${pathOf(video.url)}?token=${encodeURIComponent(c.alice.token)}`).expect(400);
  // A link bound to one user and moved onto another is not genuine.
  const aliceId = (await a.as(c.alice).get('/api/me')).body.userId;
  const bobId = (await a.as(c.bob).get('/api/me')).body.userId;
  await a.as().get(pathOf(video.url).replace(bobId, aliceId)).expect(403);

  const refused = await a.as(c.dan).post(`/api/recordings/${recordingId}/links`).expect(403);
  t.regex(refused.body.error.message, /participants of «Свежие ссылки» only/);
  await a.as().post(`/api/recordings/${recordingId}/links`).expect(401);
  await a.as(c.bob).post('/api/recordings/00000000-0000-4000-8000-000000000000/links').expect(404);

  const downloads = (await auditEntries(a, 'recording.downloaded')).filter((e) => e.recording_id === recordingId);
  t.deepEqual(
    downloads.map((e) => [e.actor_user_id, e.details.kind, e.details.range, e.details.identifiedBy]),
    [
      [bobId, 'video', 'bytes=0-9', 'header'],
      [bobId, 'video', null, 'link'],
    ],
  );
  t.is(downloads[0]!.details.policy, 'participants');
  const issued = (await auditEntries(a, 'recording.links_issued')).filter((e) => e.recording_id === recordingId);
  t.deepEqual(issued.map((e) => e.actor_user_id), [bobId]);
});

test.serial("the chat serves working links once the posted ones expire, to the participants the rule lets download; the message stays as posted", async (t) => {
  const a = app();
  const c = await cast('chat');
  const { conferenceId, recordingId, links } = await recordConference(a, c.alice, [c.bob, c.eve], 'Ссылки в чате');
  const chatLinks = async (user: TestUser) =>
    ((await a.as(user).get(`/api/conferences/${conferenceId}/chat`).expect(200)).body as Array<{ bot: boolean; links: Array<{ url: string }> }>).find((m) => m.bot)!.links.map((l) => l.url);
  t.deepEqual(await chatLinks(c.bob), links, 'links with most of their life ahead are shown as posted');

  clock.advance(a.appliance.config.downloads.linkTtlHours * HOUR + 1000);
  await setPolicy(a.servers.corporate, 'participants');
  await a.as(c.bob).get(pathOf(links[0]!)).expect(410);
  const fresh = await chatLinks(c.bob);
  t.is(fresh.length, links.length);
  for (const [i, url] of fresh.entries()) {
    t.not(url, links[i]);
    await a.as(c.bob).get(pathOf(url)).set('Range', 'bytes=0-9').expect(206);
  }
  const stored = await a.appliance.orm.em.fork().getConnection().execute(`select links from chat_messages where conference_id = ? and author_user_id is null`, [conferenceId]);
  t.deepEqual(stored[0]!.links.map((l: { url: string }) => l.url), links, 'nothing was re-posted');
  const bobId = (await a.as(c.bob).get('/api/me')).body.userId;
  const issued = (await auditEntries(a, 'recording.links_issued')).filter((e) => e.recording_id === recordingId);
  t.deepEqual(issued.map((e) => [e.actor_user_id, e.details.files, e.details.in]), [[bobId, 2, 'chat']]);

  // Someone who was not there reads no chat, so gets no link at all.
  const outsider = await a.as(c.carol).get(`/api/conferences/${conferenceId}/chat`).expect(403);
  t.is(outsider.body.links, undefined);
  // A participant the rule refuses sees the link as posted: following it says why it does not work.
  await setPolicy(a.servers.corporate, 'same-server');
  t.deepEqual(await chatLinks(c.eve), links);
  for (const url of await chatLinks(c.alice)) await a.as(c.alice).get(pathOf(url)).expect(200);
});
