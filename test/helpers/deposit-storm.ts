/**
 * A storm of Onerway deposits against real sandbox processes (by URL), for the suites that take the
 * database away under load: each client deposits 1.00 with a key of its own until stopped, and every
 * answer is sorted into acknowledged, refused as the database being away, or unexpected.
 */
import { API_KEY, BASE } from './onerway.js';

/** The diagnostic of an answer refused because the database does not answer. */
export const UNAVAILABLE = /^internal: database unavailable: /;

/** An Onerway call to the sandbox at `url` with the default merchant's key. */
export async function onerwayAt(url: string, path: string, body: object): Promise<{ status: number; diagnostic: string; body: any }> {
  const res = await fetch(`${url}${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ApiKey: API_KEY },
    body: JSON.stringify(body),
  });
  return { status: res.status, diagnostic: res.headers.get('x-sandbox-diagnostic') ?? '', body: (await res.json()) as any };
}

export interface Storm {
  /** Keys whose deposit was answered 20000. */
  acknowledged: string[];
  /** Keys refused with Onerway's internal error because the database was away. */
  refused: string[];
  /** Any other answer. */
  unexpected: unknown[];
  /** Stops the clients and waits for their last requests. */
  stop(): Promise<void>;
}

/** One client per URL in `urls` (repeat a URL for more), depositing into `cardId` with keys `<prefix>_<n>`. */
export function depositStorm(urls: readonly string[], cardId: number, prefix: string): Storm {
  const storm = { acknowledged: [] as string[], refused: [] as string[], unexpected: [] as unknown[] };
  let sent = 0;
  let stopped = false;
  const client = async (url: string) => {
    while (!stopped) {
      const key = `${prefix}_${++sent}`;
      const answer = await onerwayAt(url, '/card/deposit', { clientRequestId: key, cardId, amount: 1 });
      if (answer.body.respCode === '20000') storm.acknowledged.push(key);
      else if (answer.body.respCode === '80000' && UNAVAILABLE.test(answer.diagnostic)) storm.refused.push(key);
      else storm.unexpected.push(answer);
    }
  };
  const clients = urls.map(client);
  return {
    ...storm,
    stop: async () => {
      stopped = true;
      await Promise.all(clients);
    },
  };
}
