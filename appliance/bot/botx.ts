import crypto from 'node:crypto';
import * as jose from 'jose';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { BOTX_NOTIFICATION_PATH, botxAnswerOutcome, botxAudience, botxFailureMessage, botxNotification } from '../domain/index.ts';
import { BotxBot, BotxChat } from '../db/entities/index.ts';
import type { OutboundDelivery } from '../db/entities/index.ts';
import { UnauthenticatedError } from '../auth/errors.ts';
import type { AttemptResult, DeliveryChannel, Outbox } from '../jobs/outbox.ts';
import type { BotMessage, ChatAdapter } from './recordings-bot.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The bot's token for one BotX call (auth version 2): HS256 with the bot's secret key, issued by the
 * bot id for the Express host, good for a minute. BotX checks it against its own clock, so it is
 * dated by the real time whatever clock the appliance runs on.
 */
export async function botxToken(bot: Pick<BotxBot, 'botId' | 'ctsUrl' | 'secretKey'>): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ version: 2 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(bot.botId)
    .setAudience(botxAudience(bot.ctsUrl))
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + 60)
    .setJti(crypto.randomBytes(12).toString('hex'))
    .sign(new TextEncoder().encode(bot.secretKey));
}

/** What BotX reports later about an accepted notification, at the bot's `/notification/callback`. */
export interface BotxCallback {
  sync_id?: unknown;
  status?: unknown;
  reason?: unknown;
}

/**
 * The Recordings Bot in Express chats. As a chat adapter it queues the bot's message for the chat
 * mapped to the conference; as a delivery channel it makes the BotX call: 202 with a sync_id is
 * accepted and awaits BotX's callback, outages are retried, any other refusal (unknown chat, bot
 * not a member, bad credentials) fails at once with words for the admin in the audit log.
 */
export class Botx implements ChatAdapter, DeliveryChannel {
  readonly name = 'botx';
  readonly channel = 'botx';
  readonly #orm: MikroORM;
  readonly #outbox: Outbox;

  constructor(deps: { orm: MikroORM; outbox: Outbox }) {
    this.#orm = deps.orm;
    this.#outbox = deps.outbox;
  }

  async post(message: BotMessage): Promise<void> {
    const em = this.#orm.em.fork();
    const chat = await em.findOne(BotxChat, { conferenceId: message.conferenceId });
    const bot = chat ? await em.findOne(BotxBot, chat.botxBotId) : null;
    if (!chat || !bot?.enabled) return;
    await this.#outbox.enqueue([
      {
        channel: 'botx',
        botxBotId: bot.id,
        event: 'bot.message',
        conferenceId: message.conferenceId,
        recordingId: message.recordingId,
        target: `${botxAudience(bot.ctsUrl)} chat ${chat.groupChatId}`,
        payload: botxNotification(chat.groupChatId, message.text, message.links),
      },
    ]);
  }

  async attempt(delivery: OutboundDelivery, em: EntityManager): Promise<AttemptResult> {
    const bot = delivery.botxBotId ? await em.findOne(BotxBot, delivery.botxBotId) : null;
    if (!bot?.enabled) return { outcome: 'failed', httpStatus: null, error: 'the BotX bot was switched off or removed before the message went out' };
    let status: number | null = null;
    let answer: { result?: { sync_id?: unknown }; reason?: unknown } | null = null;
    let networkError: string | null = null;
    try {
      const response = await fetch(`${bot.ctsUrl.replace(/\/+$/, '')}${BOTX_NOTIFICATION_PATH}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await botxToken(bot)}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(delivery.payload),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.status;
      answer = await response.json().catch(() => null);
    } catch (error) {
      networkError = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    const outcome = botxAnswerOutcome(status);
    if (outcome === 'accepted') {
      const syncId = typeof answer?.result?.sync_id === 'string' ? answer.result.sync_id : null;
      return { outcome, httpStatus: status, error: syncId ? null : 'BotX accepted the message without a sync_id: its result will not be reported', syncId };
    }
    if (outcome === 'retry') return { outcome, httpStatus: status, error: status ? `${botxAudience(bot.ctsUrl)} answered HTTP ${status}` : `${botxAudience(bot.ctsUrl)} did not answer: ${networkError}` };
    const reason = typeof answer?.reason === 'string' ? answer.reason : null;
    return { outcome, httpStatus: status, error: botxFailureMessage(reason, chatOf(delivery, bot), status) };
  }

  /** BotX's later report on an accepted notification; false when it names nothing this appliance sent. */
  async callback(authorization: string | undefined, body: BotxCallback): Promise<boolean> {
    const bot = await this.#callbackBot(authorization);
    if (typeof body.sync_id !== 'string' || !UUID.test(body.sync_id)) return false;
    return this.#outbox.conclude({ syncId: body.sync_id, botxBotId: bot.id }, (delivery) =>
      body.status === 'ok' ? { delivered: true } : { delivered: false, error: botxFailureMessage(typeof body.reason === 'string' ? body.reason : null, chatOf(delivery, bot), null) },
    );
  }

  /** BotX signs its calls to the bot the way the bot signs its own: issuer the bot id, audience the host. */
  async #callbackBot(authorization: string | undefined): Promise<BotxBot> {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
    if (!token) throw new UnauthenticatedError('BotX calls carry the bot token in the Authorization header');
    let claims: jose.JWTPayload;
    try {
      claims = jose.decodeJwt(token);
    } catch {
      throw new UnauthenticatedError('the BotX token is not a JWT');
    }
    if (typeof claims.iss !== 'string' || !UUID.test(claims.iss)) throw new UnauthenticatedError('the BotX token names no bot');
    const bots = await this.#orm.em.fork().find(BotxBot, { botId: claims.iss, enabled: true });
    const bot = bots.find((b) => botxAudience(b.ctsUrl) === claims.aud);
    if (!bot) throw new UnauthenticatedError('the BotX token is for a bot this appliance does not run');
    try {
      // Without exp a captured token would be good forever, so it is required, not just checked when present.
      await jose.jwtVerify(token, new TextEncoder().encode(bot.secretKey), { algorithms: ['HS256'], issuer: bot.botId, audience: botxAudience(bot.ctsUrl), requiredClaims: ['exp'], clockTolerance: 1 });
    } catch (error) {
      if (error instanceof jose.errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') throw new UnauthenticatedError('the BotX token has no expiry (exp): BotX tokens must expire');
      if (error instanceof jose.errors.JWTExpired) throw new UnauthenticatedError('the BotX token has expired');
      throw new UnauthenticatedError('the BotX token does not verify with the bot secret key');
    }
    return bot;
  }
}

function chatOf(delivery: OutboundDelivery, bot: BotxBot): { groupChatId: string; host: string } {
  return { groupChatId: String(delivery.payload.group_chat_id), host: botxAudience(bot.ctsUrl) };
}
