/** Cards: every vendor's cards, searchable, with state and balances; a row leads to the card's page. */
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api.js';
import { Badge, Field, Loading, Table, useLoad } from '../components.js';
import { VendorAndMerchant } from '../filters.js';
import { Page } from '../page.js';
import { changeParams, href } from '../router.js';
import type { CardList, Health, Tenant } from '../types.js';

const FILTERS = ['vendor', 'tenant', 'q', 'state', 'page'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function CardsView({ params }: { params: URLSearchParams }) {
  const filters: Filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]));
  const key = JSON.stringify(filters);
  const cards = useLoad(() => get<CardList>(`/cards${query(filters)}`), [key]);
  const health = useLoad(() => get<Health>('/health'), []);
  const tenants = useLoad(() => get<{ tenants: Tenant[] }>('/tenants'), []);
  const set = (change: Filters) => changeParams(['cards'], { page: undefined, ...change }, FILTERS);
  // The search box keeps its own text and filters once typing pauses.
  const [q, setQ] = useState(filters.q ?? '');
  // The state box keeps its own text until it is committed (Enter, or leaving it): a list arriving
  // meanwhile re-renders the page, and must not wipe what is being typed.
  const [stateText, setStateText] = useState(filters.state ?? '');
  useEffect(() => setStateText(filters.state ?? ''), [filters.state]);
  useEffect(() => {
    if (q === (filters.q ?? '')) return;
    const id = setTimeout(() => set({ q: q || undefined }), 250);
    return () => clearTimeout(id);
  }, [q]);
  return (
    <Page title="Cards" intro="Every vendor's cards with their state and balances. Open one for its timeline and actions.">
      <form class="filters" role="search" aria-label="Filter cards" onSubmit={(e) => (e.preventDefault(), set({ q: q || undefined }))}>
        <VendorAndMerchant
          vendors={health.data?.vendors ?? []}
          tenants={tenants.data?.tenants ?? []}
          vendor={filters.vendor}
          tenant={filters.tenant}
          onChange={set}
        />
        <Field label="Search" hint="card id, last 4 digits or holder">
          <input type="search" name="q" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <Field label="State">
          <input
            name="state"
            list="card-states"
            value={stateText}
            onInput={(e) => setStateText(e.currentTarget.value)}
            onChange={(e) => set({ state: e.currentTarget.value.trim() || undefined })}
            size={12}
          />
        </Field>
        <datalist id="card-states">
          {['ACTIVE', 'FROZEN', 'INACTIVE', 'PROCESSING', 'OPENING', 'MAILED', 'PREPARING', 'BLOCKED', 'CARD_ISSUE', 'TERMINATED', 'CANCELLED', 'FAILED'].map(
            (s) => (
              <option key={s} value={s} />
            ),
          )}
        </datalist>
      </form>
      <Loading loaded={cards}>
        {(list) => (
          <>
            <p class="count" role="status">
              {list.total} card{list.total === 1 ? '' : 's'}
              {list.pages > 1 ? `, page ${list.page} of ${list.pages}` : ''}
            </p>
            <div class="table-wrap">
              <Table
                class="cards"
                caption="Cards"
                columns={[
                  'Card',
                  'Vendor',
                  'Merchant',
                  'Holder',
                  'Number',
                  'State',
                  { label: 'Available', num: true },
                  { label: 'Held', num: true },
                  { label: 'Balance', num: true },
                ]}
              >
                {list.cards.map((c) => (
                  <tr key={`${c.vendor}/${c.tenant}/${c.cardId}`} data-card={c.cardId} data-state={c.state}>
                    <th scope="row">
                      <a href={href(['cards', c.vendor, c.cardId], { tenant: c.tenant })}>{c.cardId}</a>
                    </th>
                    <td class="nowrap">{c.vendor}</td>
                    <td class="nowrap">{c.tenant}</td>
                    <td>{c.holder ?? <span class="muted">—</span>}</td>
                    <td>
                      <code>{c.masked ?? '—'}</code>
                    </td>
                    <td>
                      <Badge state={c.state} />
                    </td>
                    <td class="num">{money(c.balances.available, c.currency)}</td>
                    <td class="num">{money(c.balances.held, c.currency)}</td>
                    <td class="num">{money(c.balances.balance, c.currency)}</td>
                  </tr>
                ))}
              </Table>
            </div>
            {list.pages > 1 && (
              <nav class="row" aria-label="Pages">
                <button type="button" disabled={list.page <= 1} onClick={() => set({ ...filters, page: String(list.page - 1) })}>
                  Previous page
                </button>
                <button type="button" disabled={!list.more} onClick={() => set({ ...filters, page: String(list.page + 1) })}>
                  Next page
                </button>
              </nav>
            )}
          </>
        )}
      </Loading>
    </Page>
  );
}

export function money(amount: string | undefined, currency: string): string {
  return amount === undefined ? '—' : `${amount} ${currency}`;
}
