/**
 * A typed client of a running sandbox's control plane (/__sandbox), with global fetch. Every method is one
 * route; a non-2xx answer throws ControlPlaneError carrying the control plane's JSON error, an unreachable
 * sandbox throws SandboxUnreachable. The CLI is a thin shell over this client.
 */
import type * as T from './types.js';

export type * from './types.js';

export interface ClientOptions {
  /** The sandbox's base URL, e.g. http://127.0.0.1:4010 (the control plane is under /__sandbox). */
  url: string;
  /** The admin token, sent as `Authorization: Bearer <token>`. */
  token?: string;
}

/** A raw answer: the status, the body as text, and the body parsed (undefined when empty or not JSON). */
export interface RawAnswer {
  status: number;
  text: string;
  json: unknown;
}

/** The control plane answered outside 2xx. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly method: string,
    /** The path under /__sandbox. */
    readonly path: string,
    readonly status: number,
    /** The control plane's error, when it answered one. */
    readonly error: T.ControlPlaneErrorBody['error'] | undefined,
    readonly text: string,
  ) {
    super(
      error
        ? `${error.message ?? error.code} (${status} ${error.code}${error.field ? `, field ${error.field}` : ''})`
        : `${method} /__sandbox${path} answered ${status}: ${text.slice(0, 500) || '(no body)'}`,
    );
  }
  get code(): string | undefined {
    return this.error?.code;
  }
}

/** The sandbox could not be reached (refused, reset, no such host). */
export class SandboxUnreachable extends Error {
  override readonly name = 'SandboxUnreachable';
}

/** A query string of the given parameters, leaving out those not set. */
export function query(params: object): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

const seg = encodeURIComponent;

export class SandboxClient {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  readonly #token: string | undefined;

  constructor(options: ClientOptions | string) {
    const { url, token } = typeof options === 'string' ? { url: options } : options;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new TypeError(`the sandbox URL must be an http(s) URL, got ${JSON.stringify(url)}`);
    this.url = url.replace(/\/+$/, '');
    this.#token = token || undefined;
  }

  /** `<method> /__sandbox<path>`; `body` is JSON, or JSON text sent as is. Throws unless 2xx. */
  async request(method: string, path: string, body?: unknown): Promise<RawAnswer> {
    const headers: Record<string, string> = {};
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.url}/__sandbox${path}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new SandboxUnreachable(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw new ControlPlaneError(method, path, res.status, (json as Partial<T.ControlPlaneErrorBody> | undefined)?.error, text);
    return { status: res.status, text, json };
  }

  async #json<A>(method: string, path: string, body?: unknown): Promise<A> {
    return (await this.request(method, path, body)).json as A;
  }

  /** GET /health: open even with an admin token. A failing store answers 503 (thrown). */
  health(): Promise<T.Health> {
    return this.#json('GET', '/health');
  }

  // Scenarios and state
  scenarios(): Promise<T.ScenarioList> {
    return this.#json('GET', '/scenarios');
  }
  /** Loads a checked-in pack: the whole state, or that tenant's part only. */
  loadScenario(name: string, options: { tenant?: string } = {}): Promise<T.Loaded> {
    return this.#json('POST', `/scenarios/${seg(name)}`, { ...options });
  }
  /** Loads a pack sent inline (a snapshot, for one); text is sent byte for byte. */
  loadPack(pack: string | object, options: { tenant?: string } = {}): Promise<T.Loaded> {
    return this.#json('POST', `/scenarios${query(options)}`, typeof pack === 'string' ? pack : JSON.stringify(pack));
  }
  /** The whole state as a pack, as the text the sandbox sent (loadPack restores it). */
  async snapshot(): Promise<string> {
    return (await this.request('GET', '/snapshot')).text;
  }
  reset(options: { scenario?: string; tenant?: string } = {}): Promise<T.Loaded> {
    return this.#json('POST', '/reset', { ...options });
  }

  // Tenants
  tenants(): Promise<T.TenantList> {
    return this.#json('GET', '/tenants');
  }
  createTenant(input: T.NewTenant): Promise<T.Tenant> {
    return this.#json('POST', '/tenants', input);
  }
  updateTenant(id: string, patch: T.TenantPatch): Promise<T.Tenant> {
    return this.#json('PATCH', `/tenants/${seg(id)}`, patch);
  }
  deleteTenant(id: string): Promise<T.TenantDeleted> {
    return this.#json('DELETE', `/tenants/${seg(id)}`);
  }

  // The clock
  clock(): Promise<T.ClockState> {
    return this.#json('GET', '/clock');
  }
  /** Freezes the clock where it is. */
  freezeClock(): Promise<T.ClockChange> {
    return this.#json('POST', '/clock', { mode: 'frozen' });
  }
  /** Freezes the clock at an instant (ms since the epoch, or a Date), running what falls due by then. */
  setClock(now: number | Date): Promise<T.ClockChange> {
    return this.#json('POST', '/clock', { now: typeof now === 'number' ? now : now.getTime() });
  }
  /** Moves a frozen clock forward, running every job that falls due, in time order. */
  advanceClock(ms: number): Promise<T.ClockChange> {
    return this.#json('POST', '/clock', { advanceMs: ms });
  }
  /** Back to real time. */
  systemClock(): Promise<T.ClockChange> {
    return this.#json('POST', '/clock', { mode: 'system' });
  }

  /** A card-network event on any vendor's card. */
  simulate(event: T.NetworkEventName, input: T.SimulateInput): Promise<{ transaction: T.SimulatedTransaction }> {
    return this.#json('POST', `/simulate/${seg(event)}`, input);
  }

  // Outcomes
  magicValues(): Promise<T.MagicValues> {
    return this.#json('GET', '/magic-values');
  }
  outcomes(): Promise<T.OutcomeKinds> {
    return this.#json('GET', '/outcomes');
  }
  /** Settles a pending record now with this outcome. */
  forceOutcome(input: T.ForceOutcome): Promise<T.ForcedOutcome> {
    return this.#json('POST', '/outcomes', input);
  }
  /** The same, answering the record as its vendor shows it (POST /__sandbox/<vendor>/<kind>/<id>). */
  forceRecordOutcome(
    vendor: string,
    kind: string,
    id: string,
    input: { outcome: string; tenant?: string; [field: string]: string | undefined },
  ): Promise<unknown> {
    return this.#json('POST', `/${seg(vendor)}/${seg(kind)}/${seg(id)}`, input);
  }

  // Faults
  faults(): Promise<{ faults: T.FaultRule[] }> {
    return this.#json('GET', '/faults');
  }
  addFault(rule: T.FaultInput): Promise<T.FaultRule> {
    return this.#json('POST', '/faults', rule);
  }
  removeFault(id: string): Promise<{ status: 'ok'; id: string }> {
    return this.#json('DELETE', `/faults/${seg(id)}`);
  }
  clearFaults(): Promise<T.Removed> {
    return this.#json('DELETE', '/faults');
  }

  // What happened
  /** The request journal, newest first, bodies masked. */
  requests(filter: T.RequestFilter = {}): Promise<{ requests: T.JournalEntry[] }> {
    return this.#json('GET', `/requests${query(filter)}`);
  }
  /**
   * A live tail of the journal: each new entry that matches, masked as `requests` shows it, as it is
   * recorded. Ends after `limit` entries, when `signal` aborts (or the loop breaks), or when the sandbox closes.
   */
  async *tailRequests(options: T.RequestTailOptions = {}): AsyncGenerator<T.JournalEntry> {
    const { signal, ...filter } = options;
    const path = `/requests/stream${query(filter)}`;
    const url = `${this.url}/__sandbox${path}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal });
    } catch (error) {
      if (signal?.aborted) return;
      throw new SandboxUnreachable(`cannot reach ${url}: ${(error as Error).message}`, { cause: error });
    }
    if (!res.ok || !res.body) {
      const text = await res.text();
      let error: T.ControlPlaneErrorBody['error'] | undefined;
      try {
        error = (JSON.parse(text) as Partial<T.ControlPlaneErrorBody>).error;
      } catch {
        error = undefined;
      }
      throw new ControlPlaneError('GET', path, res.status, error, text);
    }
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          if (signal?.aborted) return;
          throw error;
        }
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data) yield JSON.parse(data) as T.JournalEntry;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  clearRequests(): Promise<T.Removed> {
    return this.#json('DELETE', '/requests');
  }
  /** Every card of every vendor, filtered, a page at a time. */
  cards(filter: T.CardFilter = {}): Promise<T.CardPage> {
    return this.#json('GET', `/cards${query(filter)}`);
  }
  /** One card with its pending records and the state changes its state allows. */
  card(vendor: string, cardId: string, options: { tenant?: string } = {}): Promise<T.CardDetail> {
    return this.#json('GET', `/cards/${seg(vendor)}/${seg(cardId)}${query(options)}`);
  }
  /** One card's life in order: requests, transitions, ledger movements, webhooks. */
  timeline(vendor: string, cardId: string, options: { tenant?: string } = {}): Promise<T.Timeline> {
    return this.#json('GET', `/cards/${seg(vendor)}/${seg(cardId)}/timeline${query(options)}`);
  }
  /** Webhook deliveries with their attempts, oldest first. */
  webhooks(filter: T.WebhookFilter = {}): Promise<{ deliveries: T.WebhookDelivery[] }> {
    return this.#json('GET', `/webhooks${query(filter)}`);
  }
  /** Sends a delivered or failed delivery again, now, with the vendor's retries from the start; answers it (pending). */
  resendWebhook(id: string): Promise<T.WebhookDelivery> {
    return this.#json('POST', `/webhooks/${seg(id)}/resend`);
  }

  // ---- OpenAPI ----
  /** The OpenAPI documents the sandbox serves, by name (each vendor's slug and `control-plane`). */
  openapiDocuments(): Promise<unknown> {
    return this.#json('GET', '/openapi');
  }
  /** One OpenAPI 3.1 document: a vendor's (by slug) or the control plane's (`control-plane`). */
  openapi(name: string): Promise<Record<string, unknown>> {
    return this.#json('GET', `/openapi/${seg(name)}`);
  }

  // ---- Postman collections ----
  /** The Postman collections the sandbox serves, one per vendor. */
  collections(): Promise<{ collections: Array<{ vendor: string; title: string; url: string }> }> {
    return this.#json('GET', '/collections');
  }
  /** One vendor's Postman collection (v2.1), with this sandbox as its `baseUrl` variable. */
  collection(vendor: string): Promise<Record<string, unknown>> {
    return this.#json('GET', `/collections/${seg(vendor)}`);
  }
}
