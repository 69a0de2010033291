import type { ChatMessageView, ConferenceView } from '../api/types.ts';
import type { AppContext, Screen } from '../app/context.ts';
import { h } from '../ui/dom.ts';
import { icon } from '../ui/icons.ts';
import { ChatPanel } from './chat-panel.ts';

/** A conference in «Завершенные»: it opens to its chat, where the Recordings Bot left the links. */
export class EndedConference implements Screen {
  readonly element: HTMLElement;
  readonly #stop: () => void;

  constructor(ctx: AppContext, view: ConferenceView) {
    const chat = new ChatPanel();
    this.element = h(
      'section',
      { class: 'page ended-conference' },
      h('a', { class: 'back-link', attrs: { href: '#/' } }, icon('back'), h('span', { text: 'conf.back' })),
      h('h1', {}, view.title),
      h('p', { class: 'muted', text: 'conf.ended' }),
      chat.element,
    );
    // The bot may post a late recording's links after the conference ended.
    this.#stop = ctx.live.onMessage((message) => (message.type === 'chat.message' && message.conferenceId === view.id ? chat.add(message.message) : undefined));
    ctx.api.get<ChatMessageView[]>(`/conferences/${view.id}/chat`).then(
      (messages) => chat.load(messages),
      (error) => ctx.notices.error(error),
    );
  }

  dispose(): void {
    this.#stop();
  }
}
