import type { ConferenceList, ConferenceListItem, ConferenceView } from '../api/types.ts';
import type { AppContext, Screen } from '../app/context.ts';
import { conferenceHash } from '../app/routes.ts';
import { onLanguageChange } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';
import { formatDateTime } from '../ui/format.ts';

const LIST_EVENTS = new Set(['conference.created', 'conference.ended', 'participant.joined', 'participant.left', 'participant.role_changed']);

/** The user's conferences: the active ones to join and «Завершенные» to read their chat and links. */
export class ConferenceListScreen implements Screen {
  readonly element: HTMLElement;
  readonly #ctx: AppContext;
  readonly #active = h('ul', { class: 'conference-list' });
  readonly #completed = h('ul', { class: 'conference-list' });
  readonly #stop: Array<() => void> = [];
  #list: ConferenceList = { active: [], completed: [] };

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const title = h('input', { attrs: { id: 'new-title', required: '', maxlength: '200', autocomplete: 'off' } });
    const create = h(
      'form',
      { class: 'create-form', on: { submit: (event) => (event.preventDefault(), void this.#create(title.value)) } },
      h('label', { text: 'list.newTitle', attrs: { for: 'new-title' } }),
      h('div', { class: 'inline-form' }, title, h('button', { class: 'primary', text: 'list.create', attrs: { type: 'submit' } })),
    );
    this.element = h(
      'section',
      { class: 'page conference-list-screen' },
      h('h1', { text: 'list.title' }),
      create,
      h('section', { attrs: { 'aria-labelledby': 'active-heading' } }, h('h2', { text: 'list.active', attrs: { id: 'active-heading' } }), this.#active),
      h('section', { attrs: { 'aria-labelledby': 'completed-heading' } }, h('h2', { text: 'list.completed', attrs: { id: 'completed-heading' } }), this.#completed),
    );
    this.#stop.push(
      ctx.live.onMessage((message) => (LIST_EVENTS.has(message.type) ? void this.#load() : undefined)),
      ctx.live.onReconnected(() => void this.#load()),
      onLanguageChange(() => this.#render()),
    );
    void this.#load();
  }

  dispose(): void {
    for (const stop of this.#stop) stop();
  }

  async #load(): Promise<void> {
    try {
      this.#list = await this.#ctx.api.get<ConferenceList>('/conferences');
      this.#render();
    } catch (error) {
      this.#ctx.notices.error(error);
    }
  }

  async #create(title: string): Promise<void> {
    try {
      const conference = await this.#ctx.api.post<ConferenceView>('/conferences', { title });
      this.#ctx.navigate(conferenceHash(conference.id));
    } catch (error) {
      this.#ctx.notices.error(error);
    }
  }

  #render(): void {
    fill(this.#active, this.#list.active, 'list.noneActive');
    fill(this.#completed, this.#list.completed, 'list.noneCompleted');
  }
}

function fill(list: HTMLElement, items: ConferenceListItem[], empty: MessageKey): void {
  list.replaceChildren(...(items.length ? items.map(item) : [h('li', { class: 'muted', text: empty })]));
}

function item(conference: ConferenceListItem): HTMLElement {
  const when = conference.endedAt ?? conference.createdAt;
  return h(
    'li',
    { class: 'conference-item', attrs: { 'data-conference-id': conference.id } },
    h('a', { class: 'conference-link', attrs: { href: conferenceHash(conference.id) } }, conference.title),
    h(
      'span',
      { class: 'conference-meta' },
      h('time', { attrs: { datetime: when } }, formatDateTime(when)),
      conference.role === 'admin' ? h('span', { class: 'badge', text: 'role.admin' }) : null,
      conference.present && conference.state === 'active' ? h('span', { class: 'badge badge-live', text: 'list.youAreIn' }) : null,
    ),
  );
}
