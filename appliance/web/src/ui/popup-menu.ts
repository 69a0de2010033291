import type { MessageKey, Params } from '../i18n/i18n.ts';
import { button, h, uniqueId } from './dom.ts';
import { icon } from './icons.ts';

export interface MenuItem {
  text: MessageKey;
  action: () => void;
}

/**
 * A button that opens a menu of actions (the manual's "⋮" menus). Keyboard: Enter or Space opens,
 * arrows move, Escape closes and returns to the button, Tab leaves.
 */
export class PopupMenu {
  readonly element: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #list: HTMLElement;
  #items: MenuItem[] = [];

  constructor(label: MessageKey | [MessageKey, Params], extraClass = '') {
    const listId = uniqueId('menu');
    this.#button = button(
      { class: 'icon-button', label, attrs: { 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': listId }, on: { click: () => (this.#isOpen ? this.close() : this.open()) } },
      icon('more'),
    );
    this.#list = h('div', { class: 'menu-list', attrs: { role: 'menu', id: listId, hidden: '' }, on: { keydown: (event) => this.#onKey(event) } });
    this.element = h('div', { class: `menu ${extraClass}`, on: { focusout: (event) => this.#onFocusOut(event) } }, this.#button, this.#list);
  }

  /**
   * A menu with nothing to offer is not shown at all. Updates come with every change in the
   * conference: an open menu offering the same entries is left as it is, so it stays open under the
   * user's pointer; one whose entries changed is rebuilt with the focus kept on the same place.
   */
  setItems(items: MenuItem[]): void {
    const unchanged = items.length === this.#items.length && items.every((item, i) => item.text === this.#items[i]!.text);
    this.#items = items;
    this.element.hidden = items.length === 0;
    if (items.length === 0) return this.close();
    if (!this.#isOpen || unchanged) return;
    const focused = this.#entries().indexOf(document.activeElement as HTMLButtonElement);
    this.#render();
    if (focused >= 0) this.#entries()[Math.min(focused, items.length - 1)]!.focus();
  }

  open(): void {
    this.#render();
    this.#list.hidden = false;
    this.#button.setAttribute('aria-expanded', 'true');
    this.#entries()[0]?.focus();
    document.addEventListener('pointerdown', this.#onOutside);
  }

  close(returnFocus = false): void {
    this.#list.hidden = true;
    this.#button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', this.#onOutside);
    if (returnFocus) this.#button.focus();
  }

  get #isOpen(): boolean {
    return !this.#list.hidden;
  }

  #render(): void {
    this.#list.replaceChildren(
      ...this.#items.map((item, index) =>
        button({
          class: 'menu-item',
          text: item.text,
          attrs: { role: 'menuitem', tabindex: '-1' },
          on: {
            click: () => {
              // The entry may have been kept through updates that brought a newer action for it.
              const action = this.#items[index]?.action;
              this.close(true);
              action?.();
            },
          },
        }),
      ),
    );
  }

  #entries(): HTMLButtonElement[] {
    return [...this.#list.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  }

  #onKey(event: KeyboardEvent): void {
    const entries = this.#entries();
    const index = entries.indexOf(document.activeElement as HTMLButtonElement);
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move) {
      event.preventDefault();
      entries[(index + move + entries.length) % entries.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.close(true);
    }
  }

  /**
   * Chromium also reports focus leaving when a focused entry is rebuilt or its row is moved in the
   * list; those give the focus straight back, so the menu closes only if it is still elsewhere.
   */
  #onFocusOut(event: FocusEvent): void {
    if (this.element.contains(event.relatedTarget as Node | null)) return;
    queueMicrotask(() => {
      if (!this.element.contains(document.activeElement)) this.close();
    });
  }

  readonly #onOutside = (event: PointerEvent): void => {
    if (!this.element.contains(event.target as Node)) this.close();
  };
}
