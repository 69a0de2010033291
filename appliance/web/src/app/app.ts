import { ApiClient, ApiError } from '../api/api-client.ts';
import { LiveConnection } from '../api/live-connection.ts';
import { sessionStore } from '../api/session-store.ts';
import type { Me } from '../api/types.ts';
import { openConference } from '../conference/open-conference.ts';
import { ConferenceListScreen } from '../screens/conference-list-screen.ts';
import { SignInScreen } from '../screens/sign-in-screen.ts';
import { button, h } from '../ui/dom.ts';
import { Notices } from '../ui/notices.ts';
import { showConnectionState } from './connection-banner.ts';
import type { AppContext, Screen } from './context.ts';
import { PageHeader } from './page-header.ts';
import { parseRoute } from './routes.ts';
import { websocketProtocols } from '../../../ws/websocket-protocol.ts';

interface Session {
  me: Me;
  live: LiveConnection;
  stopBanner: () => void;
}

/** The single page: the signed-in session, its live connection, and the screen of the current route. */
export class App {
  readonly #root: HTMLElement;
  readonly #notices = new Notices();
  readonly #api = new ApiClient(sessionStore.token, () => this.#sessionExpired());
  readonly #header = new PageHeader(() => this.#signOut());
  readonly #main = h('main', { attrs: { id: 'main' } });
  #session: Session | undefined;
  #screen: Screen | undefined;
  #routing = 0;
  #afterSignIn = '#/';

  constructor(root: HTMLElement) {
    this.#root = root;
  }

  start(): void {
    this.#root.replaceChildren(this.#notices.element, this.#header.element, this.#main);
    window.addEventListener('hashchange', () => void this.#route());
    void this.#route();
  }

  navigate = (hash: string): void => {
    if (location.hash === hash) void this.#route();
    else location.hash = hash;
  };

  async #route(): Promise<void> {
    const ticket = ++this.#routing;
    this.#screen?.dispose();
    this.#screen = undefined;
    const route = parseRoute(location.hash);
    if (route.name === 'sign-in' || !sessionStore.token()) {
      if (route.name !== 'sign-in') this.#afterSignIn = location.hash || '#/';
      this.#endSession();
      return this.#mount(new SignInScreen({ api: this.#api, notices: this.#notices, signedIn: (token) => this.#signedIn(token) }));
    }
    this.#mount(null);
    try {
      const session = await this.#ensureSession();
      if (ticket !== this.#routing) return;
      const ctx: AppContext = { api: this.#api, live: session.live, me: session.me, notices: this.#notices, navigate: this.navigate };
      const screen = route.name === 'conference' ? await openConference(ctx, route.id) : new ConferenceListScreen(ctx);
      if (ticket !== this.#routing) return screen.dispose();
      this.#mount(screen);
    } catch (error) {
      if (ticket !== this.#routing) return;
      if (error instanceof ApiError && error.status === 404) this.#notices.show('error.notFound', {}, { tone: 'error' });
      else this.#notices.error(error);
      if (error instanceof ApiError && error.unreachable) this.#mountRetry();
      else if (route.name === 'conference') this.navigate('#/');
    }
  }

  /** `null` shows that something is loading. */
  #mount(screen: Screen | null): void {
    this.#screen = screen ?? undefined;
    this.#header.element.hidden = Boolean(screen?.fullWindow);
    this.#main.classList.toggle('full-window', Boolean(screen?.fullWindow));
    this.#main.replaceChildren(screen?.element ?? h('p', { class: 'page muted', text: 'app.loading', attrs: { role: 'status' } }));
  }

  #mountRetry(): void {
    this.#main.replaceChildren(h('section', { class: 'page' }, button({ class: 'primary', text: 'app.retry', on: { click: () => void this.#route() } })));
  }

  async #ensureSession(): Promise<Session> {
    if (this.#session) return this.#session;
    const me = await this.#api.get<Me>('/me');
    const live = new LiveConnection(
      () => new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, websocketProtocols(sessionStore.token() ?? '')),
      () => this.#api.get('/me').then(
        () => true,
        (error) => !(error instanceof ApiError && error.status === 401),
      ),
    );
    this.#session = { me, live, stopBanner: showConnectionState(live, this.#notices) };
    live.start();
    this.#header.showUser(me);
    return this.#session;
  }

  async #signedIn(token: string): Promise<void> {
    sessionStore.save(token);
    this.#notices.dismiss('session');
    this.navigate(this.#afterSignIn);
  }

  #signOut(): void {
    sessionStore.clear();
    this.navigate('#/sign-in');
  }

  #sessionExpired(): void {
    if (!sessionStore.token()) return;
    sessionStore.clear();
    this.#notices.show('signIn.expired', {}, { tone: 'error', id: 'session' });
    this.navigate('#/sign-in');
  }

  #endSession(): void {
    this.#session?.stopBanner();
    this.#session?.live.stop();
    this.#session = undefined;
    this.#header.showUser(undefined);
  }
}
