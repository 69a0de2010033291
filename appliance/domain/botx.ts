import type { ChatLink } from './chat.ts';
import { InvalidInputError } from './errors.ts';

/**
 * The Recordings Bot in Express chats, through the messenger's BotX API: the bot posts its message
 * to the Express chat mapped to the conference, each download link as a URL button under it.
 */
export const BOTX_NOTIFICATION_PATH = '/api/v4/botx/notifications/direct';
/** BotX refuses longer notification bodies. */
export const BOTX_BODY_MAX_LENGTH = 4096;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The name is how admins tell bots apart when they map a chat to one. */
export function validateBotxBot(input: { name?: unknown; ctsUrl?: unknown; botId?: unknown; secretKey?: unknown }): void {
  if (typeof input.name !== 'string' || input.name.trim().length === 0) throw new InvalidInputError('a BotX bot needs a name that says which Express bot it is', 'name');
  let url: URL | undefined;
  try {
    url = typeof input.ctsUrl === 'string' ? new URL(input.ctsUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new InvalidInputError('the Express server is given by its address, e.g. https://cts.example.org', 'ctsUrl');
  if (typeof input.botId !== 'string' || !UUID.test(input.botId)) throw new InvalidInputError('the bot id is the UUID the Express admin panel shows for the bot', 'botId');
  if (typeof input.secretKey !== 'string' || input.secretKey.trim().length === 0) throw new InvalidInputError("the bot's secret key from the Express admin panel is required", 'secretKey');
}

/** A chat mapping ties one conference to one Express chat through one bot: none of the three can be left out. */
export function validateBotxChat(input: { conferenceId?: unknown; botxBotId?: unknown; groupChatId?: unknown }): void {
  if (typeof input.conferenceId !== 'string' || !UUID.test(input.conferenceId)) throw new InvalidInputError('choose the conference whose recordings the Express chat gets', 'conferenceId');
  if (typeof input.botxBotId !== 'string' || !UUID.test(input.botxBotId)) throw new InvalidInputError('choose the BotX bot that posts to the Express chat', 'botxBotId');
  if (typeof input.groupChatId !== 'string' || !UUID.test(input.groupChatId)) throw new InvalidInputError("the Express chat is given by its group_chat_id (a UUID)", 'groupChatId');
}

/** BotX tokens name the Express server by its host name alone (no scheme, no port). */
export function botxAudience(ctsUrl: string): string {
  return new URL(ctsUrl).hostname;
}

/** The body of `POST /api/v4/botx/notifications/direct` for the bot's message. */
export function botxNotification(groupChatId: string, text: string, links: readonly ChatLink[]) {
  return {
    group_chat_id: groupChatId,
    notification: {
      status: 'ok' as const,
      body: text.length > BOTX_BODY_MAX_LENGTH ? `${text.slice(0, BOTX_BODY_MAX_LENGTH - 1)}…` : text,
      metadata: {},
      // One button per row: file labels are long, and a row of several would cut them.
      bubble: links.map((link) => [{ command: 'recording-download', label: link.label, data: {}, opts: { silent: true, handler: 'client' as const, link: link.url } }]),
    },
  };
}

export type BotxAnswerOutcome = 'accepted' | 'retry' | 'failed';

/**
 * BotX accepts a notification with 202 and reports the result later. Overload and outages (5xx,
 * 429, 408, no answer) pass, so they are tried again; any other refusal repeats itself on every
 * try, so it fails at once.
 */
export function botxAnswerOutcome(status: number | null): BotxAnswerOutcome {
  if (status !== null && status >= 200 && status < 300) return 'accepted';
  if (status === null || status >= 500 || status === 429 || status === 408) return 'retry';
  return 'failed';
}

/** BotX's error reasons, in words that tell the appliance's admin what to change. */
export function botxFailureMessage(reason: string | null, chat: { groupChatId: string; host: string }, status: number | null): string {
  switch (reason) {
    case 'chat_not_found':
      return `the Express chat ${chat.groupChatId} does not exist on ${chat.host}: correct the conference's chat mapping in the BotX settings`;
    case 'bot_is_not_a_chat_member':
      return `the bot is not a member of the Express chat ${chat.groupChatId} on ${chat.host}: add the bot to that chat, then post the message again`;
    case 'event_recipients_list_is_empty':
      return `the Express chat ${chat.groupChatId} on ${chat.host} has nobody to deliver the message to`;
    case 'stealth_mode_disabled':
      return `the Express chat ${chat.groupChatId} on ${chat.host} refuses the bot's message (stealth mode)`;
    default:
      if (status === 401) return `${chat.host} refused the bot's token: check the bot id and secret key in the BotX settings`;
      return `${chat.host} refused the bot's message${status ? ` (HTTP ${status})` : ''}${reason ? `: ${reason}` : ''}`;
  }
}
