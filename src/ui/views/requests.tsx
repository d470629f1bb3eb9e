/** Requests: the journal, filtered, with a live tail; each entry opens to its request, answer and diagnostic. */
import { useEffect, useState } from 'preact/hooks';
import { authHeaders, get, query } from '../api.js';
import { Badge, Choice, ErrorNote, Field, fire, time, useInterval } from '../components.js';
import { Page } from '../page.js';
import type { Health, JournalEntry } from '../types.js';
import { Exchange } from './timeline.js';

const KEEP = 200;
const FILTERS = ['vendor', 'tenant', 'operation', 'status', 'code'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function matches(entry: JournalEntry, f: Filters): boolean {
  return (
    (!f.vendor || entry.vendor === f.vendor) &&
    (!f.tenant || entry.tenantId === f.tenant) &&
    (!f.operation || entry.operation === f.operation) &&
    (!f.status || String(entry.status) === f.status) &&
    (!f.code || entry.code === f.code)
  );
}

/** Newest first, one entry per id. */
function merged(incoming: JournalEntry[], current: JournalEntry[]): JournalEntry[] {
  const seen = new Set<string>();
  return [...incoming, ...current]
    .filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)))
    .sort((a, b) => b.at - a.at)
    .slice(0, KEEP);
}

export function RequestsView() {
  const [filters, setFilters] = useState<Filters>({});
  const [draft, setDraft] = useState<Filters>({});
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(true);
  const [tail, setTail] = useState<'stream' | 'polling' | 'off'>('off');
  const vendors = useVendors();
  const load = async () => {
    try {
      const answer = await get<{ requests: JournalEntry[] }>(`/requests${query({ ...filters, limit: KEEP })}`);
      setEntries((current) =>
        merged(
          answer.requests,
          current.filter((e) => matches(e, filters)),
        ),
      );
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    setEntries([]);
    fire(load());
  }, [JSON.stringify(filters)]);
  // The live tail: the journal's server-sent events, read with fetch (EventSource cannot send the token).
  useEffect(() => {
    if (!live) {
      setTail('off');
      return;
    }
    const stop = new AbortController();
    fire(follow(stop.signal, (entry) => matches(entry, filters) && setEntries((current) => merged([entry], current)), setTail));
    return () => stop.abort();
  }, [live, JSON.stringify(filters)]);
  useInterval(() => load(), live && tail === 'polling' ? 2000 : null);
  const apply = (event: Event) => {
    event.preventDefault();
    setFilters(Object.fromEntries(Object.entries(draft).filter(([, v]) => v && v.trim() !== '')) as Filters);
  };
  return (
    <Page title="Requests" intro="Every vendor request the sandbox answered, newest first, secrets masked as the journal keeps them.">
      <form class="filters" aria-label="Filter requests" onSubmit={apply}>
        <Choice label="Vendor" name="vendor" value={draft.vendor} options={vendors} all="All vendors" onChange={(vendor) => setDraft({ ...draft, vendor })} />
        {(['tenant', 'operation', 'status', 'code'] as const).map((name) => (
          <Field key={name} label={name === 'tenant' ? 'Merchant' : capital(name)}>
            <input
              name={name}
              size={name === 'status' ? 5 : 14}
              value={draft[name] ?? ''}
              onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
            />
          </Field>
        ))}
        <button type="submit">Filter</button>
        <label class="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} /> Live tail
        </label>
        <span class="muted" role="status">
          {tail === 'stream' ? 'following the journal' : tail === 'polling' ? 'checking every 2 s' : 'paused'}
        </span>
      </form>
      {error !== undefined && <ErrorNote error={error} />}
      {entries.length === 0 ? (
        <p class="muted">No requests yet{Object.keys(filters).length ? ' matching these filters' : ''}.</p>
      ) : (
        <ol class="journal" aria-label="Requests, newest first">
          {entries.map((e) => (
            <li key={e.id} data-request={e.id} data-tenant={e.tenantId ?? ''}>
              <details>
                <summary>
                  <time>{time(e.at)}</time> <Badge state={e.status} label="HTTP status" />{' '}
                  <code>
                    {e.method} {e.path}
                  </code>{' '}
                  <span>{e.operation ?? ''}</span> <span class="muted">{e.tenantId ?? 'no merchant'}</span>{' '}
                  {e.code !== null && <span class="muted">code {e.code}</span>} {e.fault ? <span class="badge badge-bad">fault</span> : null}
                  {e.diagnostic && <span class="diagnostic one-line"> {e.diagnostic}</span>}
                </summary>
                <Exchange entry={e} />
              </details>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}

function useVendors(): string[] {
  const [vendors, setVendors] = useState<string[]>([]);
  useEffect(() => {
    get<Health>('/health').then(
      (h) => setVendors(h.vendors),
      () => undefined,
    );
  }, []);
  return vendors;
}

/**
 * Reads GET /__sandbox/requests/stream (text/event-stream, one journal entry per `data:` line) until
 * aborted; where the sandbox has no stream, says 'polling' so the view asks every few seconds instead.
 */
async function follow(signal: AbortSignal, onEntry: (entry: JournalEntry) => void, setTail: (t: 'stream' | 'polling' | 'off') => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/__sandbox/requests/stream', { headers: { accept: 'text/event-stream', ...authHeaders() }, signal });
  } catch {
    if (!signal.aborted) setTail('polling');
    return;
  }
  if (!res.ok || !res.body) {
    setTail('polling');
    return;
  }
  setTail('stream');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data === '') continue;
        try {
          const entry = JSON.parse(data) as JournalEntry;
          if (entry && typeof entry.id === 'string' && typeof entry.path === 'string') onEntry(entry);
        } catch {
          // A comment or keep-alive, not an entry.
        }
      }
    }
  } catch {
    // Aborted, or the connection closed.
  }
  if (!signal.aborted) setTail('polling');
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
