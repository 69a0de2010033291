import { ConferenceEvents } from './conference-events.ts';
import { SelftestError } from './selftest-error.ts';

/** The appliance answered, but not with success: what it said is the message. */
export class ApplianceRequestError extends SelftestError {
  constructor(method: string, path: string, status: number, answer: string) {
    super(`${method} ${path}: ${status} ${answer}`);
    this.name = 'ApplianceRequestError';
  }
}

/** The appliance's HTTP interfaces as one signed-in participant uses them. */
export class ApplianceClient {
  readonly baseUrl: string;
  readonly #token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl;
    this.#token = token;
  }

  get<T>(route: string): Promise<T> {
    return this.#api<T>('GET', route);
  }

  post<T>(route: string, body: object = {}): Promise<T> {
    return this.#api<T>('POST', route, body);
  }

  delete<T>(route: string): Promise<T> {
    return this.#api<T>('DELETE', route);
  }

  events(): Promise<ConferenceEvents> {
    return ConferenceEvents.open(this.baseUrl, this.#token);
  }

  /**
   * A download link's file. The link carries the appliance's public address, which need not be
   * reachable from here (a name behind nginx, another port): its path is fetched from this client's
   * address instead. The token goes along for servers whose rule lets only participants download.
   */
  async download(link: string): Promise<{ response: Response; body: Buffer }> {
    const { pathname, search } = new URL(link);
    const response = await this.#fetch('GET', `${pathname}${search}`, { headers: this.#authorization() });
    return { response, body: Buffer.from(await response.arrayBuffer()) };
  }

  async health(): Promise<{ ok: boolean; components: Record<string, { ok: boolean; details?: Record<string, unknown> }> }> {
    return (await this.#fetch('GET', '/healthz')).json();
  }

  /** The current value of an unlabelled gauge from `/metrics`; undefined when it is not exported. */
  async gauge(name: string): Promise<number | undefined> {
    const response = await this.#fetch('GET', '/metrics');
    if (!response.ok) throw new ApplianceRequestError('GET', '/metrics', response.status, await response.text());
    const line = (await response.text()).split('\n').find((candidate) => candidate.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  }

  async #api<T>(method: string, route: string, body?: object): Promise<T> {
    const headers = { ...this.#authorization(), ...(body ? { 'Content-Type': 'application/json' } : {}) };
    const response = await this.#fetch(method, `/api${route}`, { headers, body: body && JSON.stringify(body) });
    if (!response.ok) throw new ApplianceRequestError(method, `/api${route}`, response.status, await response.text());
    return (await response.json()) as T;
  }

  #authorization(): Record<string, string> {
    return { Authorization: `Bearer ${this.#token}` };
  }

  async #fetch(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, method });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new SelftestError(`${method} ${this.baseUrl}${path}: the appliance did not answer (${cause})`);
    }
  }
}
