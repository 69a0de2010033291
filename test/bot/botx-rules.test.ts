import test from 'ava';
import { InvalidInputError, botxAnswerOutcome, botxAudience, botxFailureMessage, botxNotification, validateBotxBot, validateBotxChat } from '../../appliance/domain/index.ts';

const BOT = { name: 'Express', ctsUrl: 'https://cts.example.org', botId: 'b0770000-0000-4000-8000-00000000b0e7', secretKey: 's' };
const CHAT = { conferenceId: 'c0f00000-0000-4000-8000-000000000001', botxBotId: 'b0770000-0000-4000-8000-000000000001', groupChatId: '11111111-1111-4111-8111-111111111111' };

test('a BotX bot is an Express server address, the bot UUID and its secret; a chat is a group_chat_id', (t) => {
  t.notThrows(() => validateBotxBot(BOT));
  for (const [input, field] of [
    [{ ...BOT, ctsUrl: 'cts.example.org' }, 'ctsUrl'],
    [{ ...BOT, botId: 'bot-1' }, 'botId'],
    [{ ...BOT, secretKey: ' ' }, 'secretKey'],
  ] as Array<[object, string]>) {
    t.is(t.throws(() => validateBotxBot(input), { instanceOf: InvalidInputError })?.field, field);
  }
  t.notThrows(() => validateBotxChat(CHAT));
  t.is(t.throws(() => validateBotxChat({ ...CHAT, groupChatId: 'general' }), { instanceOf: InvalidInputError })?.field, 'groupChatId');
  t.is(botxAudience('https://cts.example.org:8443/base'), 'cts.example.org', 'the token audience is the host name alone');
});

test('a BotX bot with a blank or missing name, address, bot id or secret key is refused on that field', (t) => {
  for (const field of ['name', 'ctsUrl', 'botId', 'secretKey'] as const) {
    for (const blank of ['', '   ', null, undefined]) {
      t.is(t.throws(() => validateBotxBot({ ...BOT, [field]: blank }), { instanceOf: InvalidInputError })?.field, field, `${field} = ${String(blank)}`);
    }
  }
});

test('a chat mapping left without its conference, bot or chat is refused on that field', (t) => {
  for (const field of ['conferenceId', 'botxBotId', 'groupChatId'] as const) {
    for (const cleared of ['', null, undefined]) {
      t.is(t.throws(() => validateBotxChat({ ...CHAT, [field]: cleared }), { instanceOf: InvalidInputError })?.field, field, `${field} = ${String(cleared)}`);
    }
  }
});

test('the notification carries the text and one URL button per link, each in its own row', (t) => {
  const body = botxNotification('11111111-1111-4111-8111-111111111111', 'Запись №1', [
    { label: 'Видео · 1.0 МБ', url: 'https://rec.example.org/d/a' },
    { label: 'Аудио · 10 КБ', url: 'https://rec.example.org/d/b' },
  ]);
  t.deepEqual(body, {
    group_chat_id: '11111111-1111-4111-8111-111111111111',
    notification: {
      status: 'ok',
      body: 'Запись №1',
      metadata: {},
      bubble: [
        [{ command: 'recording-download', label: 'Видео · 1.0 МБ', data: {}, opts: { silent: true, handler: 'client', link: 'https://rec.example.org/d/a' } }],
        [{ command: 'recording-download', label: 'Аудио · 10 КБ', data: {}, opts: { silent: true, handler: 'client', link: 'https://rec.example.org/d/b' } }],
      ],
    },
  });
  t.is(botxNotification('c', 'я'.repeat(5000), []).notification.body.length, 4096);
});

test('BotX answers: 2xx accepted; outages retried; other refusals final, explained for the admin', (t) => {
  t.is(botxAnswerOutcome(202), 'accepted');
  for (const status of [null, 500, 502, 503, 429, 408]) t.is(botxAnswerOutcome(status), 'retry', String(status));
  for (const status of [400, 401, 403, 404, 422]) t.is(botxAnswerOutcome(status), 'failed', String(status));
  const chat = { groupChatId: 'c-1', host: 'cts.example.org' };
  t.regex(botxFailureMessage('chat_not_found', chat, 404), /chat c-1 does not exist on cts\.example\.org: correct the conference's chat mapping/);
  t.regex(botxFailureMessage('bot_is_not_a_chat_member', chat, null), /not a member .* add the bot to that chat/);
  t.regex(botxFailureMessage(null, chat, 401), /refused the bot's token: check the bot id and secret key/);
  t.is(botxFailureMessage('strange', chat, 400), "cts.example.org refused the bot's message (HTTP 400): strange");
});
