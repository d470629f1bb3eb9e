/** One card: its summary, the vendor's own state changes, network events, pending outcomes and its timeline. */
import { useState } from 'preact/hooks';
import { get, post, query, vendorCall, type VendorAnswer } from '../api.js';
import { Badge, Choice, ErrorNote, Field, Json, Loading, OutcomeNote, Table, time, useAction, useLoad } from '../components.js';
import { Page } from '../page.js';
import { href } from '../router.js';
import type { CardAction, CardDetail, Clock, Pending, SimulatedTransaction, Tenant, Timeline } from '../types.js';
import { canSign, signedRequest } from '../vendor-calls.js';
import { money } from './cards.js';
import { TimelineTable } from './timeline.js';

export function CardPage({ vendor, cardId, tenant }: { vendor: string; cardId: string; tenant?: string }) {
  const path = `/cards/${encodeURIComponent(vendor)}/${encodeURIComponent(cardId)}`;
  const detail = useLoad(() => get<CardDetail>(`${path}${query({ tenant })}`), []);
  const timeline = useLoad(() => get<Timeline>(`${path}/timeline${query({ tenant })}`), []);
  const reload = () => {
    detail.reload();
    timeline.reload();
  };
  return (
    <Page title={`${vendor} card ${cardId}`}>
      <p>
        <a href={href(['cards'], { vendor, tenant })}>← Cards</a>
      </p>
      <Loading loaded={detail}>
        {(card) => (
          <>
            <Summary card={card} />
            <div class="grid-2">
              <VendorChanges card={card} onDone={reload} />
              <Simulate card={card} onDone={reload} />
            </div>
            <PendingRecords card={card} onDone={reload} />
          </>
        )}
      </Loading>
      <section aria-labelledby="timeline-h">
        <div class="row spread">
          <h2 id="timeline-h">Timeline</h2>
          <button type="button" class="small" onClick={reload}>
            Refresh
          </button>
        </div>
        <Loading loaded={timeline}>{(t) => <TimelineTable events={t.events} />}</Loading>
      </section>
    </Page>
  );
}

function Summary({ card }: { card: CardDetail }) {
  return (
    <dl class="facts summary">
      <dt>State</dt>
      <dd>
        <Badge state={card.state} />
      </dd>
      <dt>Merchant</dt>
      <dd>{card.tenant}</dd>
      <dt>Holder</dt>
      <dd>{card.holder ?? '—'}</dd>
      <dt>Number</dt>
      <dd>
        <code>{card.masked ?? '—'}</code>
      </dd>
      {Object.entries(card.balances).map(([name, amount]) => (
        <div key={name} class="fact">
          <dt>{name}</dt>
          <dd class="num">{money(amount, card.currency)}</dd>
        </div>
      ))}
      <dt>Created</dt>
      <dd>{time(card.createdAt)}</dd>
    </dl>
  );
}

function VendorChanges({ card, onDone }: { card: CardDetail; onDone: () => void }) {
  const [answer, setAnswer] = useState<{ action: CardAction; sent: unknown; answer: VendorAnswer }>();
  const [outcome, busy, run] = useAction();
  const [extra, setExtra] = useState('');
  const act = (action: CardAction) =>
    run(async () => {
      const fields = extraFields(extra);
      const [{ tenants }, clock] = await Promise.all([get<{ tenants: Tenant[] }>('/tenants'), get<Clock>('/clock')]);
      const merchant = tenants.find((t) => t.id === card.tenant);
      if (!merchant) throw new Error(`merchant ${card.tenant} is gone`);
      const request = signedRequest(card.vendor, { ...action, body: { ...action.body, ...fields } }, merchant.credentials, clock.now);
      const result = await vendorCall(request.path, request.headers, request.body);
      setAnswer({ action, sent: request.body, answer: result });
      onDone();
      return `${action.operation} answered HTTP ${result.status}${result.diagnostic ? ` (${result.diagnostic})` : ''}.`;
    });
  const signable = canSign(card.vendor);
  return (
    <section aria-labelledby="changes-h" class="panel">
      <h2 id="changes-h">Vendor state changes</h2>
      <p class="hint">Sent to the {card.vendor} API itself with the merchant's credentials, signed as the vendor requires.</p>
      {!signable && <p>The dashboard does not know how to call {card.vendor}'s API.</p>}
      {signable && card.actions.length === 0 && <p>No state change is allowed from {card.state}.</p>}
      <div class="row">
        {signable &&
          card.actions.map((a) => (
            <button key={a.event + a.name} type="button" disabled={busy} onClick={() => act(a)}>
              {capital(a.name)} <span class="muted">→ {a.to}</span>
            </button>
          ))}
      </div>
      {signable && card.actions.length > 0 && (
        <Field label="More body fields (JSON, optional)" hint={'what a change needs beyond the card, e.g. {"pin": "1234"}'}>
          <input name="extra" value={extra} size={30} onInput={(e) => setExtra(e.currentTarget.value)} />
        </Field>
      )}
      <OutcomeNote outcome={outcome} />
      {answer && (
        <details class="exchange">
          <summary>
            {answer.action.operation}: HTTP {answer.answer.status}
          </summary>
          <h3>Sent to {answer.action.path}</h3>
          <Json value={answer.sent} />
          <h3>Answer</h3>
          <Json value={answer.answer.body} />
        </details>
      )}
    </section>
  );
}

/** The JSON object typed beside the buttons, or nothing. */
function extraFields(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`the extra body fields are not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the extra body fields must be a JSON object, e.g. {"pin": "1234"}');
  return value as Record<string, unknown>;
}

const NETWORK = ['authorize', 'clear', 'reverse', 'refund'] as const;

function Simulate({ card, onDone }: { card: CardDetail; onDone: () => void }) {
  const [action, setAction] = useState<(typeof NETWORK)[number]>('authorize');
  const [amount, setAmount] = useState('10.00');
  const [transactionId, setTransactionId] = useState('');
  const [merchantName, setMerchantName] = useState('');
  const [outcome, busy, run] = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    run(async () => {
      const body: Record<string, unknown> = { vendor: card.vendor, cardId: card.cardId, tenant: card.tenant };
      if (amount.trim() !== '') body.amount = amount.trim();
      if (transactionId.trim() !== '') body.transactionId = transactionId.trim();
      if (merchantName.trim() !== '') body.merchantName = merchantName.trim();
      const { transaction: t } = await post<{ transaction: SimulatedTransaction }>(`/simulate/${action}`, body);
      onDone();
      // The authorization is what a clearing, reversal or refund names next.
      if (action === 'authorize' && t.status === 'approved') setTransactionId(t.id);
      return `${capital(action)} ${t.amount} ${t.currency}: transaction ${t.id} ${t.status}${t.declineReason ? ` (${t.declineReason})` : ''}.`;
    });
  };
  return (
    <section aria-labelledby="simulate-h" class="panel">
      <h2 id="simulate-h">Card network</h2>
      <form onSubmit={submit} class="stack">
        <Choice
          label="Event"
          name="action"
          value={action}
          options={NETWORK.map((a) => [a, capital(a)] as const)}
          onChange={(a) => setAction((a ?? 'authorize') as (typeof NETWORK)[number])}
        />
        <Field label={`Amount (${card.currency})`} hint={action === 'reverse' ? 'empty: the whole hold' : undefined}>
          <input name="amount" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        </Field>
        <Field label="Transaction id" hint={action === 'authorize' ? 'optional' : 'the authorization to clear, reverse or refund'}>
          <input name="transactionId" value={transactionId} onInput={(e) => setTransactionId(e.currentTarget.value)} />
        </Field>
        {action === 'authorize' && (
          <Field label="Merchant name (optional)">
            <input name="merchantName" value={merchantName} onInput={(e) => setMerchantName(e.currentTarget.value)} />
          </Field>
        )}
        <button type="submit" disabled={busy}>
          Send {action}
        </button>
      </form>
      <OutcomeNote outcome={outcome} />
    </section>
  );
}

function PendingRecords({ card, onDone }: { card: CardDetail; onDone: () => void }) {
  if (card.pending.length === 0)
    return (
      <section aria-labelledby="pending-h">
        <h2 id="pending-h">Pending records</h2>
        <p class="muted">Nothing pending on this card.</p>
      </section>
    );
  return (
    <section aria-labelledby="pending-h">
      <h2 id="pending-h">Pending records</h2>
      <Table caption="Pending records whose outcome can be forced" columns={['Kind', 'Id', 'Pending since', 'Force an outcome']}>
        {card.pending.map((p) => (
          <PendingRow key={`${p.kind}/${p.id}`} card={card} pending={p} onDone={onDone} />
        ))}
      </Table>
    </section>
  );
}

function PendingRow({ card, pending, onDone }: { card: CardDetail; pending: Pending; onDone: () => void }) {
  const [choice, setChoice] = useState(pending.outcomes[0] ?? '');
  const [outcome, busy, run] = useAction();
  const force = (event: Event) => {
    event.preventDefault();
    run(async () => {
      await post('/outcomes', { vendor: card.vendor, kind: pending.kind, id: pending.id, outcome: choice, tenant: card.tenant });
      onDone();
      return `${pending.kind} ${pending.id} settled as ${choice}.`;
    });
  };
  return (
    <tr>
      <td>{pending.kind}</td>
      <td>
        <code>{pending.id}</code>
      </td>
      <td>{time(pending.since)}</td>
      <td>
        <form class="row" onSubmit={force}>
          <label class="visually-hidden" for={`outcome-${pending.kind}-${pending.id}`}>
            Outcome for {pending.kind} {pending.id}
          </label>
          <select id={`outcome-${pending.kind}-${pending.id}`} value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            {pending.outcomes.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
          <button type="submit" class="small" disabled={busy}>
            Force
          </button>
        </form>
        {outcome?.ok === false && <ErrorNote error={outcome.error} />}
      </td>
    </tr>
  );
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
