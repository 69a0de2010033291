import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { BotApiKeys } from '../../appliance/bot/bot-api-keys.ts';
import { BotApiKey } from '../../appliance/db/entities/index.ts';
import { adminsOnly } from '../access.ts';
import { auditConsoleAction } from '../audit.ts';
import type { ConsoleComponents } from '../components/components.ts';
import { BOTS_NAVIGATION } from './botx.ts';
import { ConsoleResource } from './console-resource.ts';
import { toConsoleError } from './validation.ts';

export interface BotApiKeysDeps {
  orm: MikroORM;
  keys: BotApiKeys;
  components: ConsoleComponents;
}

/**
 * Chat bots' keys to the status API. A key is issued by its own action, whose answer is the only
 * place the key appears in clear (only its hash is kept); deleting a key revokes it.
 */
export function botApiKeysResource(deps: BotApiKeysDeps): ResourceWithOptions {
  const { orm, keys, components } = deps;

  const issueKey = async (request: ActionRequest, _response: unknown, context: ActionContext) => {
    if (request.method !== 'post') return {};
    let issued: Awaited<ReturnType<BotApiKeys['issue']>>;
    try {
      issued = await keys.issue(String(request.payload?.name ?? ''));
    } catch (error) {
      throw toConsoleError(error, ['name']);
    }
    await orm.em.fork().transactional(async (em) =>
      auditConsoleAction(em, context.currentAdmin, 'bot_api_key.issued', { details: { id: issued.id, name: issued.name } }),
    );
    return { key: issued.key, name: issued.name, notice: { message: 'botApiKeyIssued', type: 'success' } };
  };

  return {
    resource: new ConsoleResource(orm, {
      model: BotApiKey,
      writes: { auditName: 'bot_api_key', label: (key) => key.name },
    }),
    options: {
      navigation: BOTS_NAVIGATION,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['name', 'createdAt', 'lastUsedAt'],
      showProperties: ['name', 'enabled', 'createdAt', 'lastUsedAt'],
      filterProperties: ['name', 'createdAt', 'lastUsedAt'],
      actions: {
        new: { isAccessible: false, isVisible: false },
        edit: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        delete: { isAccessible: adminsOnly },
        issueKey: { actionType: 'resource', icon: 'Key', component: components.IssueBotKey, isAccessible: adminsOnly, handler: issueKey },
      },
    },
  };
}
