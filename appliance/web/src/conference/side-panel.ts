import type { MessageKey } from '../i18n/i18n.ts';
import { button, h } from '../ui/dom.ts';
import { icon } from '../ui/icons.ts';
import type { IconName } from '../ui/icons.ts';

export type PanelName = 'participants' | 'chat';

interface Panel {
  toggle: HTMLButtonElement;
  badge: HTMLElement;
  content: HTMLElement;
  onOpen: () => void;
}

const PANELS: Record<PanelName, { icon: IconName; title: MessageKey }> = {
  participants: { icon: 'people', title: 'conf.participants' },
  chat: { icon: 'chat', title: 'conf.chat' },
};

/**
 * The panel beside the video with the participant list or the chat, opened by their buttons in
 * the top bar; on a phone it covers the video until closed.
 */
export class SidePanel {
  readonly element: HTMLElement;
  readonly #title = h('h2', {});
  readonly #body = h('div', { class: 'side-panel-body' });
  readonly #panels = new Map<PanelName, Panel>();
  #open: PanelName | null = null;

  constructor() {
    const close = button({ class: 'icon-button', label: 'conf.closePanel', on: { click: () => this.show(null, true) } }, icon('close'));
    this.element = h('aside', { class: 'side-panel', attrs: { id: 'side-panel', hidden: '' } }, h('header', { class: 'side-panel-header' }, this.#title, close), this.#body);
    this.element.addEventListener('keydown', (event) => {
      // An Escape that closed something inside the panel (a menu) closes only that.
      if (event.key === 'Escape' && !event.defaultPrevented) this.show(null, true);
    });
  }

  /** Adds a panel and returns the top-bar button that opens it. */
  add(name: PanelName, content: HTMLElement, onOpen: () => void = () => {}): HTMLButtonElement {
    const badge = h('span', { class: 'count-badge', attrs: { hidden: '' } });
    const toggle = button(
      { class: 'icon-button', label: PANELS[name].title, attrs: { 'aria-controls': 'side-panel', 'aria-expanded': 'false', 'data-panel': name }, on: { click: () => this.show(this.#open === name ? null : name) } },
      icon(PANELS[name].icon),
      badge,
    );
    this.#panels.set(name, { toggle, badge, content, onOpen });
    return toggle;
  }

  get openPanel(): PanelName | null {
    return this.#open;
  }

  show(name: PanelName | null, returnFocus = false): void {
    const previous = this.#open;
    this.#open = name;
    this.element.hidden = name === null;
    for (const [panelName, panel] of this.#panels) panel.toggle.setAttribute('aria-expanded', String(panelName === name));
    if (name === null) {
      if (returnFocus && previous) this.#panels.get(previous)!.toggle.focus();
      return;
    }
    const panel = this.#panels.get(name)!;
    this.#title.replaceChildren(h('span', { text: PANELS[name].title }));
    this.#body.replaceChildren(panel.content);
    panel.onOpen();
  }

  setBadge(name: PanelName, count: number): void {
    const badge = this.#panels.get(name)!.badge;
    badge.hidden = count === 0;
    badge.textContent = String(count);
  }
}
