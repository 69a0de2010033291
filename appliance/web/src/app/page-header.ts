import type { Me } from '../api/types.ts';
import { translate } from '../i18n/i18n.ts';
import { button, h } from '../ui/dom.ts';
import { languageSwitch } from '../ui/language-switch.ts';

/** The header of the pages around a conference: the appliance, who is signed in, language, sign-out. */
export class PageHeader {
  readonly element: HTMLElement;
  readonly #account = h('span', { class: 'account' });
  readonly #signOut: HTMLButtonElement;

  constructor(signOut: () => void) {
    this.#signOut = button({ class: 'link-button', text: 'account.signOut', on: { click: signOut } });
    this.element = h(
      'header',
      { class: 'page-header' },
      h('a', { class: 'brand', text: 'app.name', attrs: { href: '#/' } }),
      this.#account,
      h('div', { class: 'header-tools' }, this.#signOut, languageSwitch()),
    );
    this.showUser(undefined);
  }

  showUser(me: Me | undefined): void {
    this.#account.hidden = this.#signOut.hidden = !me;
    if (me) translate(this.#account, 'text', 'account.signedInAs', { name: me.name, server: me.server.name });
  }
}
