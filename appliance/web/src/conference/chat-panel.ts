import type { ChatMessageView } from '../api/types.ts';
import { h } from '../ui/dom.ts';
import { icon } from '../ui/icons.ts';
import { formatTime } from '../ui/format.ts';

/** The conference chat, where the Recordings Bot posts its download links. */
export class ChatPanel {
  readonly element: HTMLElement;
  readonly #log = h('ol', { class: 'chat-log', attrs: { role: 'log', 'aria-live': 'polite', tabindex: '-1' } });
  readonly #empty = h('p', { class: 'chat-empty', text: 'chat.empty' });
  readonly #form: HTMLFormElement;
  readonly #input = h('textarea', { placeholder: 'chat.message', label: 'chat.message', attrs: { rows: '2', maxlength: '4000' } });
  readonly #shown = new Map<string, HTMLElement>();
  readonly #onNew: (message: ChatMessageView) => void;

  /**
   * `send` resolves to whether the message went (a failure has been told already); without it the
   * chat is read-only, as a completed conference's is. `onNew` hears of each message that arrives live.
   */
  constructor(options: { send?: (text: string) => Promise<boolean>; onNew?: (message: ChatMessageView) => void } = {}) {
    const { send } = options;
    this.#onNew = options.onNew ?? (() => {});
    const submit = async () => {
      const text = this.#input.value.trim();
      if (!text || !send) return;
      this.#input.disabled = true;
      if (await send(text)) this.#input.value = '';
      this.#input.disabled = false;
      this.#input.focus();
    };
    this.#form = h(
      'form',
      { class: 'chat-form', on: { submit: (event) => (event.preventDefault(), void submit()) } },
      this.#input,
      h('button', { class: 'primary', text: 'chat.send', attrs: { type: 'submit' } }),
    );
    // Enter sends, Shift+Enter starts a new line, as in the messenger.
    this.#input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void submit();
      }
    });
    this.#form.hidden = !send;
    const readOnly = send ? null : h('p', { class: 'chat-note', text: 'chat.readOnly' });
    this.element = h('div', { class: 'chat' }, this.#empty, this.#log, readOnly, this.#form);
  }

  /**
   * The whole history (on opening, and after a reconnection that may have missed messages). The
   * messages already shown take the links as read now: the appliance renews the bot's expired ones.
   */
  load(messages: ChatMessageView[]): void {
    for (const message of messages) {
      const shown = this.#shown.get(message.id)?.querySelector('.chat-links');
      const links = linkList(message);
      if (shown && links) shown.replaceWith(links);
      else this.add(message, false);
    }
  }

  add(message: ChatMessageView, announce = true): void {
    if (this.#shown.has(message.id)) return;
    const item = messageItem(message);
    this.#shown.set(message.id, item);
    const stick = this.#log.scrollHeight - this.#log.scrollTop - this.#log.clientHeight < 40;
    this.#log.append(item);
    this.#empty.hidden = true;
    if (stick) this.#log.scrollTop = this.#log.scrollHeight;
    if (announce) this.#onNew(message);
  }

  /** The newest messages, where the Recordings Bot's links arrive. */
  scrollToEnd(): void {
    this.#log.scrollTop = this.#log.scrollHeight;
  }
}

function messageItem(message: ChatMessageView): HTMLElement {
  const author = h('span', { class: 'chat-author' }, message.authorName);
  const header = h('p', { class: 'chat-meta' }, author, message.bot ? h('span', { class: 'badge', text: 'chat.bot' }) : null, h('time', { attrs: { datetime: message.createdAt } }, formatTime(message.createdAt)));
  return h('li', { class: message.bot ? 'chat-message chat-bot' : 'chat-message', attrs: { 'data-message-id': message.id } }, header, h('p', { class: 'chat-text' }, message.text), linkList(message));
}

function linkList(message: ChatMessageView): HTMLElement | null {
  if (!message.links.length) return null;
  return h('ul', { class: 'chat-links' }, ...message.links.map((link) => h('li', {}, h('a', { attrs: { href: link.url, download: '', rel: 'noopener' } }, icon('download'), link.label))));
}
