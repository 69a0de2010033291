import crypto from 'node:crypto';
import test from 'ava';
import * as jose from 'jose';
import { BotxBot, BotxChat, DeliveryAttempt, OutboundDelivery } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';
import { FileWritingBackend, auditEntries, recordAgain } from '../access/recording-fixtures.ts';
import type { ReceivedRequest } from '../webhooks/delivery-fixtures.ts';
import { LocalServer, eventually, shortenRetries } from '../webhooks/delivery-fixtures.ts';

const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { backend, jobPollingSeconds: 0.5 });

const BOT_ID = 'b0770000-0000-4000-8000-00000000b0e7';
const SECRET = 'botx-secret-key';
const CHATS = {
  known: '11111111-1111-4111-8111-111111111111',
  notMember: '22222222-2222-4222-8222-222222222222',
  flaky: '33333333-3333-4333-8333-333333333333',
  unknown: '44444444-4444-4444-8444-444444444444',
};

/** Why a token or body would be refused by BotX, or null when it is what BotX expects. */
async function botxProblem(request: ReceivedRequest): Promise<string | null> {
  if (request.method !== 'POST' || request.url !== '/api/v4/botx/notifications/direct') return `unexpected ${request.method} ${request.url}`;
  const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'], issuer: BOT_ID, audience: '127.0.0.1' });
    if (protectedHeader.alg !== 'HS256') return 'alg';
    if (payload.version !== 2) return 'version';
    if (typeof payload.jti !== 'string' || payload.jti.length < 8) return 'jti';
    if (payload.exp !== payload.iat! + 60 || payload.nbf !== payload.iat) return 'exp/nbf';
  } catch (error) {
    return `token: ${(error as Error).message}`;
  }
  const body = JSON.parse(request.body);
  if (!/^[0-9a-f-]{36}$/.test(body.group_chat_id)) return 'group_chat_id';
  const n = body.notification;
  if (n?.status !== 'ok' || typeof n.body !== 'string' || !Array.isArray(n.bubble)) return 'notification';
  for (const row of n.bubble) {
    for (const button of row) {
      if (typeof button.command !== 'string' || typeof button.label !== 'string' || JSON.stringify(button.data) !== '{}' || !/^https?:\/\//.test(button.opts?.link)) return 'button';
    }
  }
  return null;
}

/** A BotX server as the bot sees it: checks token and payload, answers 202 with a sync_id, reports later by callback. */
async function startBotx(callbackTo: () => string): Promise<LocalServer & { problems: string[] }> {
  const problems: string[] = [];
  const flakyTries = { n: 0 };
  const callback = (syncId: string, result: object) =>
    setTimeout(async () => {
      const iat = Math.floor(Date.now() / 1000);
      const token = await new jose.SignJWT({ version: 2 }).setProtectedHeader({ alg: 'HS256' }).setIssuer(BOT_ID).setAudience('127.0.0.1').setIssuedAt(iat).setNotBefore(iat).setExpirationTime(iat + 60).setJti(crypto.randomUUID()).sign(new TextEncoder().encode(SECRET));
      await fetch(`${callbackTo()}/botx/notification/callback`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ sync_id: syncId, ...result }) });
    }, 50);
  const server = await LocalServer.start(async (request) => {
    const problem = await botxProblem(request);
    if (problem) {
      problems.push(problem);
      return problem.startsWith('token') ? { status: 401, body: { status: 'error', reason: 'unauthorized', errors: [problem], error_data: {} } } : { status: 400, body: { status: 'error', reason: 'invalid_payload', errors: [problem] } };
    }
    const chat = JSON.parse(request.body).group_chat_id as string;
    const syncId = crypto.randomUUID();
    switch (chat) {
      case CHATS.known:
        callback(syncId, { status: 'ok', result: {} });
        return { status: 202, body: { status: 'ok', result: { sync_id: syncId } } };
      case CHATS.notMember:
        callback(syncId, { status: 'error', reason: 'bot_is_not_a_chat_member', errors: [], error_data: { group_chat_id: chat, bot_id: BOT_ID } });
        return { status: 202, body: { status: 'ok', result: { sync_id: syncId } } };
      case CHATS.flaky:
        flakyTries.n += 1;
        if (flakyTries.n <= 2) return { status: 503, body: { status: 'error', reason: 'service_unavailable' } };
        callback(syncId, { status: 'ok', result: {} });
        return { status: 202, body: { status: 'ok', result: { sync_id: syncId } } };
      default:
        return { status: 404, body: { status: 'error', reason: 'chat_not_found', errors: [], error_data: { group_chat_id: chat } } };
    }
  });
  return Object.assign(server, { problems });
}

async function addBot(ctsUrl: string, secretKey = SECRET): Promise<string> {
  const em = app().appliance.orm.em.fork();
  const bot = em.create(BotxBot, { id: crypto.randomUUID(), name: 'Recordings Bot', ctsUrl, botId: BOT_ID, secretKey });
  await em.flush();
  return bot.id;
}

/** A conference mapped to an Express chat, with one finished recording; returns the bot's delivery. */
async function recordInto(alice: TestUser, botxBotId: string, groupChatId: string, title: string) {
  const a = app();
  const conferenceId = (await a.as(alice).post('/api/conferences', { title }).expect(201)).body.id as string;
  const em = a.appliance.orm.em.fork();
  em.create(BotxChat, { id: crypto.randomUUID(), conferenceId, botxBotId, groupChatId });
  await em.flush();
  const { recordingId } = await recordAgain(a, alice, conferenceId);
  return { conferenceId, recordingId };
}

async function settled(recordingId: string, states: string[]) {
  return eventually(async () => {
    const delivery = await app().appliance.orm.em.fork().findOne(OutboundDelivery, { recordingId, channel: 'botx' });
    return delivery && states.includes(delivery.state) && delivery;
  }, `the BotX delivery of ${recordingId}`);
}

async function attemptsOf(deliveryId: string) {
  const rows = await app().appliance.orm.em.fork().find(DeliveryAttempt, { deliveryId }, { orderBy: { number: 'asc' } });
  return rows.map((r) => [r.httpStatus, r.outcome]);
}

test.serial('the bot posts to the mapped Express chat: a verified token, the message with one URL button per file, 202 and a callback', async (t) => {
  const a = app();
  await shortenRetries(a, 3);
  const botx = await startBotx(() => a.url);
  try {
    const botId = await addBot(botx.url);
    const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
    const { conferenceId, recordingId } = await recordInto(alice, botId, CHATS.known, 'Планёрка в Express');
    const delivery = await settled(recordingId, ['delivered']);
    t.deepEqual(botx.problems, []);
    t.deepEqual(await attemptsOf(delivery.id), [[202, 'accepted']]);
    t.truthy(delivery.syncId);
    const sent = JSON.parse(botx.requests[0]!.body);
    const chat = (await a.as(alice).get(`/api/conferences/${conferenceId}/chat`).expect(200)).body.at(-1);
    t.is(sent.group_chat_id, CHATS.known);
    t.is(sent.notification.body, chat.text, 'the same words as in the built-in chat, which still gets the message');
    t.deepEqual(
      sent.notification.bubble.map((row: Array<{ label: string; opts: { link: string } }>) => row.map((b) => [b.label, b.opts.link])),
      chat.links.map((l: { label: string; url: string }) => [[l.label, l.url]]),
    );
    await a.as().get(new URL(sent.notification.bubble[0][0].opts.link).pathname).expect(200);
  } finally {
    await botx.stop();
    await a.appliance.orm.em.fork().nativeDelete(BotxBot, {});
  }
});

test.serial("BotX's refusals fail at once with words for the admin; outages are retried until BotX takes the message", async (t) => {
  const a = app();
  await shortenRetries(a, 3);
  const botx = await startBotx(() => a.url);
  try {
    const botId = await addBot(botx.url);
    const alice = await a.user(a.servers.corporate, 'alice-errors', 'Алиса');
    const unknown = await recordInto(alice, botId, CHATS.unknown, 'Чат не найден');
    const notMember = await recordInto(alice, botId, CHATS.notMember, 'Бот не в чате');
    const flaky = await recordInto(alice, botId, CHATS.flaky, 'BotX перегружен');

    const unknownDelivery = await settled(unknown.recordingId, ['failed']);
    t.deepEqual(await attemptsOf(unknownDelivery.id), [[404, 'failed']], 'no retry of a chat that does not exist');
    t.is(unknownDelivery.lastError, `the Express chat ${CHATS.unknown} does not exist on 127.0.0.1: correct the conference's chat mapping in the BotX settings`);

    const notMemberDelivery = await settled(notMember.recordingId, ['failed']);
    t.deepEqual(await attemptsOf(notMemberDelivery.id), [[202, 'accepted']]);
    t.regex(notMemberDelivery.lastError ?? '', /the bot is not a member of the Express chat 2222.* on 127\.0\.0\.1: add the bot to that chat/);

    const flakyDelivery = await settled(flaky.recordingId, ['delivered']);
    t.deepEqual(await attemptsOf(flakyDelivery.id), [[503, 'retry'], [503, 'retry'], [202, 'accepted']]);

    const audit = await auditEntries(a, 'botx.failed');
    t.deepEqual(audit.map((e) => e.recording_id).sort(), [unknown.recordingId, notMember.recordingId].sort());
    t.like(audit.find((e) => e.recording_id === notMember.recordingId)!.details, { target: `127.0.0.1 chat ${CHATS.notMember}`, attempts: 1 });
    t.deepEqual(botx.problems, []);
  } finally {
    await botx.stop();
    await a.appliance.orm.em.fork().nativeDelete(BotxBot, {});
  }
});

test.serial('a wrong secret key is refused once and explained; an unreachable BotX is retried, then given up', async (t) => {
  const a = app();
  await shortenRetries(a, 1);
  const botx = await startBotx(() => a.url);
  const closed = await LocalServer.start(() => ({ status: 200 }));
  const closedUrl = closed.url;
  await closed.stop();
  try {
    const alice = await a.user(a.servers.corporate, 'alice-secret', 'Алиса');
    const wrongKey = await recordInto(alice, await addBot(botx.url, 'not-the-secret'), CHATS.known, 'Неверный ключ');
    const wrong = await settled(wrongKey.recordingId, ['failed']);
    t.deepEqual(await attemptsOf(wrong.id), [[401, 'failed']]);
    t.is(wrong.lastError, "127.0.0.1 refused the bot's token: check the bot id and secret key in the BotX settings");
    t.true(botx.problems[0]?.startsWith('token: signature verification failed'));

    await a.appliance.orm.em.fork().nativeDelete(BotxBot, {});
    const down = await recordInto(alice, await addBot(closedUrl), CHATS.known, 'BotX недоступен');
    const gaveUp = await settled(down.recordingId, ['failed']);
    t.deepEqual(await attemptsOf(gaveUp.id), [[null, 'retry'], [null, 'failed']]);
    t.regex(gaveUp.lastError ?? '', /^no success after 2 attempts; the last one: 127\.0\.0\.1 did not answer: .*ECONNREFUSED/);

    // A switched-off bot sends nothing.
    await a.appliance.orm.em.fork().nativeUpdate(BotxBot, {}, { enabled: false });
    const off = await recordInto(alice, gaveUp.botxBotId!, CHATS.known, 'Бот выключен');
    t.is(await a.appliance.orm.em.fork().count(OutboundDelivery, { recordingId: off.recordingId }), 0);
  } finally {
    await botx.stop();
    await a.appliance.orm.em.fork().nativeDelete(BotxBot, {});
  }
});

test.serial('the callback endpoint takes only tokens signed with a configured bot secret', async (t) => {
  const a = app();
  const em = a.appliance.orm.em.fork();
  em.create(BotxBot, { id: crypto.randomUUID(), name: 'Recordings Bot', ctsUrl: 'https://cts.example.org', botId: BOT_ID, secretKey: SECRET });
  await em.flush();
  const sign = (secret: string, audience = 'cts.example.org', expiresIn: number | null = 60) => {
    const iat = Math.floor(Date.now() / 1000);
    const jwt = new jose.SignJWT({ version: 2 }).setProtectedHeader({ alg: 'HS256' }).setIssuer(BOT_ID).setAudience(audience).setIssuedAt(iat);
    return (expiresIn === null ? jwt : jwt.setExpirationTime(iat + expiresIn)).sign(new TextEncoder().encode(secret));
  };
  const call = (token: string | null) => {
    const req = a.as().post('/botx/notification/callback', { sync_id: crypto.randomUUID(), status: 'ok', result: {} });
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };
  await call(null).expect(401);
  await call(await sign('forged')).expect(401);
  await call(await sign(SECRET, 'other.example.org')).expect(401);
  const endless = await call(await sign(SECRET, 'cts.example.org', null)).expect(401);
  t.regex(endless.body.error.message, /the BotX token has no expiry \(exp\)/);
  const expired = await call(await sign(SECRET, 'cts.example.org', -10)).expect(401);
  t.regex(expired.body.error.message, /the BotX token has expired/);
  const unknown = await call(await sign(SECRET)).expect(404);
  t.regex(unknown.body.error.message, /no notification of this bot has that sync_id/);
  await a.appliance.orm.em.fork().nativeDelete(BotxBot, {});
});
