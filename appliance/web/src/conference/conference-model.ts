import type { ApiClient } from '../api/api-client.ts';
import type { ConferenceView } from '../api/types.ts';

/**
 * The conference as this user sees it, kept fresh by asking the server again after each event:
 * the rules live on the server, and the client does not second-guess them. Answers are applied in
 * the order their requests were made, so a slow old answer never overwrites a newer one.
 */
export class ConferenceModel {
  readonly id: string;
  readonly #api: ApiClient;
  readonly #listeners = new Set<(view: ConferenceView, previous: ConferenceView | undefined) => void>();
  #view: ConferenceView | undefined;
  #issued = 0;
  #applied = 0;
  #refresh: Promise<void> | undefined;
  #again = false;

  constructor(api: ApiClient, id: string) {
    this.#api = api;
    this.id = id;
  }

  get view(): ConferenceView | undefined {
    return this.#view;
  }

  onChange(listener: (view: ConferenceView, previous: ConferenceView | undefined) => void): void {
    this.#listeners.add(listener);
  }

  /** Asks again; calls made while a request is out are merged into one more request. */
  refresh(): Promise<void> {
    if (this.#refresh) {
      this.#again = true;
      return this.#refresh;
    }
    this.#refresh = (async () => {
      try {
        do {
          this.#again = false;
          await this.#track(this.#api.get<ConferenceView>(`/conferences/${this.id}`));
        } while (this.#again);
      } finally {
        this.#refresh = undefined;
      }
    })();
    return this.#refresh;
  }

  /** A command of the REST API; its answer is the conference as it now stands. */
  command(path: string, body: object = {}): Promise<ConferenceView> {
    return this.#track(this.#api.post<ConferenceView>(`/conferences/${this.id}/${path}`, body));
  }

  async #track(request: Promise<ConferenceView>): Promise<ConferenceView> {
    const order = ++this.#issued;
    const view = await request;
    if (order > this.#applied) {
      this.#applied = order;
      const previous = this.#view;
      this.#view = view;
      for (const listener of this.#listeners) listener(view, previous);
    }
    return view;
  }
}
