/** A card's timeline (requests, transitions, ledger, webhooks) and the request/answer pair both it and the journal show. */
import { Badge, Json, Table, time } from '../components.js';
import type { JournalEntry, TimelineEvent } from '../types.js';

export function TimelineTable({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p class="muted">Nothing has happened to this card yet.</p>;
  return (
    <Table class="timeline" caption="The card's timeline, oldest first" columns={['Time', 'Kind', 'What happened']}>
      {events.map((e, i) => (
        <tr key={i} data-kind={e.kind}>
          <td class="nowrap">
            <time>{time(e.at)}</time>
          </td>
          <td>
            <span class={`kind kind-${e.kind}`}>{e.kind}</span>
          </td>
          <td>
            <EventText event={e} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function EventText({ event: e }: { event: TimelineEvent }) {
  switch (e.kind) {
    case 'request':
      return (
        <details>
          <summary>
            <code>
              {s(e.method)} {s(e.path)}
            </code>{' '}
            {s(e.operation)} <Badge state={e.status as number} label="HTTP status" /> <span class="muted">code {s(e.code)}</span>
          </summary>
          <Exchange entry={e as unknown as JournalEntry} />
        </details>
      );
    case 'transition':
      return (
        <span>
          <Badge state={s(e.from)} /> → <Badge state={s(e.to)} /> <span class="muted">({s(e.event)})</span>
        </span>
      );
    case 'ledger':
      return (
        <span>
          {s(e.movement)} <strong class="num">{s(e.amount)}</strong> {s(e.currency)}
          {e.status !== undefined && (
            <>
              {' '}
              <Badge state={s(e.status)} />
            </>
          )}
          {e.balance !== undefined && <span class="muted"> balance after {s(e.balance)}</span>}
          {typeof e.declineReason === 'string' && <span class="muted"> — {e.declineReason}</span>}
          {typeof e.id === 'string' && (
            <span class="muted">
              {' '}
              <code>{e.id}</code>
            </span>
          )}
        </span>
      );
    case 'webhook': {
      const attempt = e.attempt as { status?: number; url?: string; error?: string } | null;
      return (
        <span>
          webhook {s(e.event)} <Badge state={s(e.state)} />{' '}
          {attempt && (
            <span class="muted">
              {attempt.url} {attempt.status !== undefined ? `→ HTTP ${attempt.status}` : ''} {attempt.error ?? ''}
            </span>
          )}{' '}
          <code class="muted">{s(e.deliveryId)}</code>
        </span>
      );
    }
    default:
      return <Json value={e} />;
  }
}

/** A request and its answer, masked as the journal keeps them, with the sandbox's diagnostic. */
export function Exchange({ entry }: { entry: JournalEntry }) {
  return (
    <div class="exchange">
      {entry.diagnostic && (
        <p class="diagnostic">
          <strong>Diagnostic:</strong> {entry.diagnostic}
        </p>
      )}
      {entry.fault !== null && entry.fault !== undefined && (
        <p class="diagnostic">
          <strong>Fault:</strong> <code>{JSON.stringify(entry.fault)}</code>
        </p>
      )}
      <div class="grid-2">
        <div>
          <h4>Request</h4>
          {entry.request?.headers && <Json value={entry.request.headers} />}
          <Json value={entry.request?.body ?? null} />
        </div>
        <div>
          <h4>Answer</h4>
          <Json value={entry.response?.body ?? null} />
        </div>
      </div>
    </div>
  );
}
