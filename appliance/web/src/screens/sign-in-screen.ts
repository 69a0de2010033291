import type { ApiClient } from '../api/api-client.ts';
import { ApiError } from '../api/api-client.ts';
import type { DemoUser } from '../api/types.ts';
import type { Screen } from '../app/context.ts';
import { button, h } from '../ui/dom.ts';
import type { Notices } from '../ui/notices.ts';

/**
 * Sign-in. In the embedded (demo) configuration the appliance lists demo users to pick from;
 * otherwise the token the messenger server issued is pasted here.
 */
export class SignInScreen implements Screen {
  readonly element: HTMLElement;
  readonly #api: ApiClient;
  readonly #notices: Notices;
  readonly #signedIn: (token: string) => Promise<void>;
  readonly #body = h('div', { class: 'sign-in-body' });

  constructor(deps: { api: ApiClient; notices: Notices; signedIn: (token: string) => Promise<void> }) {
    this.#api = deps.api;
    this.#notices = deps.notices;
    this.#signedIn = deps.signedIn;
    this.element = h('section', { class: 'page sign-in' }, h('h1', { text: 'signIn.title' }), this.#body);
    void this.#load();
  }

  dispose(): void {}

  async #load(): Promise<void> {
    let users: DemoUser[] | null = null;
    try {
      users = await this.#api.get<DemoUser[]>('/demo/users');
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) this.#notices.error(error);
    }
    this.#body.replaceChildren(users ? this.#demoUsers(users) : this.#tokenForm());
  }

  #demoUsers(users: DemoUser[]): HTMLElement {
    const pick = async (user: DemoUser) => {
      try {
        const { token } = await this.#api.post<{ token: string }>('/demo/token', { user: user.sub });
        await this.#signedIn(token);
      } catch (error) {
        this.#notices.error(error);
      }
    };
    return h(
      'div',
      {},
      h('p', { text: 'signIn.demoIntro' }),
      h('ul', { class: 'demo-users' }, ...users.map((user) => h('li', {}, button({ class: 'demo-user', attrs: { 'data-user': user.sub }, on: { click: () => void pick(user) } }, h('strong', {}, user.name), h('span', { class: 'muted' }, user.serverName))))),
    );
  }

  #tokenForm(): HTMLElement {
    const input = h('input', { attrs: { id: 'token', required: '', autocomplete: 'off', spellcheck: 'false' } });
    return h(
      'form',
      {
        class: 'token-form',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#signedIn(input.value.trim()).catch((error) => this.#notices.error(error));
          },
        },
      },
      h('p', { text: 'signIn.tokenIntro' }),
      h('label', { text: 'signIn.tokenLabel', attrs: { for: 'token' } }),
      input,
      h('button', { class: 'primary', text: 'signIn.submit', attrs: { type: 'submit' } }),
    );
  }
}
