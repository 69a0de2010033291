import { ApiError } from '../api/api-client.ts';
import type { AppContext, Screen } from '../app/context.ts';
import { ConferenceModel } from './conference-model.ts';
import { EndedConference } from './ended-conference.ts';
import { LiveConference } from './live-conference.ts';

/**
 * Opening a conference (from the list or from its link) joins it while it is active; a completed
 * one opens to its chat.
 */
export async function openConference(ctx: AppContext, id: string): Promise<Screen> {
  const model = new ConferenceModel(ctx.api, id);
  await model.refresh();
  if (model.view!.state === 'active' && !model.view!.me.present) {
    try {
      await model.command('join');
    } catch (error) {
      // It ended in the meantime: show it as ended.
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      await model.refresh();
    }
  }
  return model.view!.state === 'ended' ? new EndedConference(ctx, model.view!) : new LiveConference(ctx, model);
}
