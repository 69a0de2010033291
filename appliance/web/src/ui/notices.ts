import { ApiError } from '../api/api-client.ts';
import { translate } from '../i18n/i18n.ts';
import type { MessageKey, Params } from '../i18n/i18n.ts';
import { button, h } from './dom.ts';
import { icon } from './icons.ts';

export type Tone = 'info' | 'success' | 'error';

export interface NoticeOptions {
  tone?: Tone;
  /** A notice with an id replaces the previous one with that id (e.g. the connection's state). */
  id?: string;
  /** Stays until dismissed; errors always do. */
  sticky?: boolean;
}

export interface Notice {
  update(key: MessageKey, params?: Params): void;
  dismiss(): void;
}

const FADE_AFTER_MS = 6000;

/** Messages to the user over the window: what happened, what was refused, what failed. */
export class Notices {
  readonly element = h('div', { class: 'notices' });
  readonly #byId = new Map<string, Notice>();

  show(key: MessageKey, params?: Params, options: NoticeOptions = {}): Notice {
    const tone = options.tone ?? 'info';
    if (options.id) this.#byId.get(options.id)?.dismiss();
    const text = h('p', { text: [key, params ?? {}] });
    const sticky = tone === 'error' || Boolean(options.sticky);
    const el = h('div', { class: `notice notice-${tone}${sticky ? ' notice-sticky' : ''}`, attrs: { role: tone === 'error' ? 'alert' : 'status' } }, text);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const notice: Notice = {
      update: (nextKey, nextParams) => translate(text, 'text', nextKey, nextParams ?? {}),
      dismiss: () => {
        clearTimeout(timer);
        el.remove();
        if (options.id && this.#byId.get(options.id) === notice) this.#byId.delete(options.id);
      },
    };
    el.append(button({ class: 'icon-button notice-close', label: 'notice.close', on: { click: () => notice.dismiss() } }, icon('close')));
    if (!sticky) timer = setTimeout(() => notice.dismiss(), FADE_AFTER_MS);
    if (options.id) this.#byId.set(options.id, notice);
    this.element.append(el);
    return notice;
  }

  dismiss(id: string): void {
    this.#byId.get(id)?.dismiss();
  }

  /** Any failure, told plainly: the server's own words for a refusal, a hint for a network failure. */
  error(error: unknown): void {
    if (error instanceof ApiError && error.status === 401) return; // the sign-in screen says it
    if (error instanceof ApiError && error.unreachable) this.show('error.network', {}, { tone: 'error' });
    else this.show('error.refused', { message: error instanceof Error ? error.message : String(error) }, { tone: 'error' });
  }
}
