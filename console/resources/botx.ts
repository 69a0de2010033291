import type { ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { validateBotxBot, validateBotxChat } from '../../appliance/domain/botx.ts';
import { BotxBot, BotxChat } from '../../appliance/db/entities/index.ts';
import { adminsOnly } from '../access.ts';
import { ConsoleResource } from './console-resource.ts';
import { checkedBy, clearedAsBlank } from './validation.ts';
import { blankKeepsSecret } from './write-only.ts';

/** Webhooks, the BotX adapter and bot API keys: how the appliance talks to chat bots and other systems. */
export const BOTS_NAVIGATION = { name: 'navBots', icon: 'Send' };
const CHANGES_BY_ADMINS = { delete: { isAccessible: adminsOnly }, bulkDelete: { isAccessible: false, isVisible: false } };

const checkChat = checkedBy((values) => validateBotxChat(values));

/**
 * The Express BotX adapter: the bot's account on an Express server (its secret key write-only, checked
 * once set so that an edit keeping it is checked with the current one) and which Express chat gets
 * the messages of which conference.
 */
export function botxResources(orm: MikroORM): ResourceWithOptions[] {
  return [
    {
      resource: new ConsoleResource(orm, {
        model: BotxBot,
        writes: {
          auditName: 'botx_bot',
          label: (bot) => bot.name,
          writable: ['name', 'ctsUrl', 'botId', 'secretKey', 'enabled'],
          secret: ['secretKey'],
          defaults: () => ({ enabled: true }),
          beforeSave: async (_tx, bot) => validateBotxBot(bot),
        },
      }),
      options: {
        navigation: BOTS_NAVIGATION,
        sort: { sortBy: 'name', direction: 'asc' },
        listProperties: ['name', 'ctsUrl', 'botId', 'enabled'],
        showProperties: ['name', 'ctsUrl', 'botId', 'enabled', 'createdAt'],
        editProperties: ['name', 'ctsUrl', 'botId', 'secretKey', 'enabled'],
        filterProperties: ['name', 'ctsUrl', 'botId', 'enabled'],
        properties: { secretKey: { type: 'password' } },
        actions: {
          new: { isAccessible: adminsOnly },
          edit: { isAccessible: adminsOnly, before: [blankKeepsSecret('secretKey'), clearedAsBlank(['name', 'ctsUrl', 'botId'])] },
          ...CHANGES_BY_ADMINS,
        },
      },
    },
    {
      resource: new ConsoleResource(orm, {
        model: BotxChat,
        writes: {
          auditName: 'botx_chat',
          label: (chat) => chat.groupChatId,
          writable: ['conferenceId', 'botxBotId', 'groupChatId'],
          auditRefs: (chat) => ({ conferenceId: chat.conferenceId }),
        },
      }),
      options: {
        navigation: BOTS_NAVIGATION,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        titleProperty: 'groupChatId',
        listProperties: ['conferenceId', 'botxBotId', 'groupChatId', 'createdAt'],
        showProperties: ['conferenceId', 'botxBotId', 'groupChatId', 'createdAt'],
        editProperties: ['conferenceId', 'botxBotId', 'groupChatId'],
        filterProperties: ['conferenceId', 'botxBotId', 'groupChatId'],
        actions: {
          new: { isAccessible: adminsOnly, before: checkChat },
          edit: { isAccessible: adminsOnly, before: checkChat },
          ...CHANGES_BY_ADMINS,
        },
      },
    },
  ];
}
