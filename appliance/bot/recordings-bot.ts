import type { ChatLink } from '../domain/index.ts';
import type { ConferenceService } from '../conferences/conference-service.ts';

/** The Recordings Bot's message about one recording. */
export interface BotMessage {
  conferenceId: string;
  recordingId: string;
  text: string;
  links: ChatLink[];
}

/** A chat the Recordings Bot can write in. */
export interface ChatAdapter {
  readonly name: string;
  post(message: BotMessage): Promise<void>;
}

/** The conference's own chat on the appliance (the default, and the record participants read). */
export class BuiltInChat implements ChatAdapter {
  readonly name = 'built-in';
  readonly #conferences: ConferenceService;

  constructor(conferences: ConferenceService) {
    this.#conferences = conferences;
  }

  async post(message: BotMessage): Promise<void> {
    await this.#conferences.postBotMessage(message.conferenceId, message.text, message.links);
  }
}

/**
 * The Recordings Bot posts every message in the built-in chat and in each other chat an adapter
 * maps the conference to (Express via BotX); a chat that fails does not keep it from the others.
 */
export class RecordingsBot {
  readonly #adapters: ChatAdapter[];

  constructor(adapters: ChatAdapter[]) {
    this.#adapters = adapters;
  }

  async post(message: BotMessage): Promise<void> {
    const results = await Promise.allSettled(this.#adapters.map((adapter) => adapter.post(message)));
    const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [`${this.#adapters[i]!.name}: ${String(result.reason)}`] : []));
    if (failures.length > 0) throw new Error(`the Recordings Bot could not post in every chat: ${failures.join('; ')}`);
  }
}
