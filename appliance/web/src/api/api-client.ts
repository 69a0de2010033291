/** A refusal or failure of the REST API, carrying the server's own `error.message`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The request never got an answer: the network or the appliance is down. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** The appliance's REST API under `/api`, authenticated with the signed-in user's token. */
export class ApiClient {
  readonly #token: () => string | null;
  readonly #onUnauthenticated: () => void;

  constructor(token: () => string | null, onUnauthenticated: () => void) {
    this.#token = token;
    this.#onUnauthenticated = onUnauthenticated;
  }

  get<T>(path: string): Promise<T> {
    return this.#request<T>('GET', path);
  }

  post<T>(path: string, body: object = {}): Promise<T> {
    return this.#request<T>('POST', path, body);
  }

  async #request<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = {};
    const token = this.#token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`/api${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    } catch (error) {
      throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
    }
    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) return payload as T;
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401) this.#onUnauthenticated();
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? response.statusText);
  }
}
