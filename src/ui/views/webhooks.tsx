/** Webhooks: every delivery with every attempt, filtered by state; a delivered or failed one can be sent again. */
import { get, post, query } from '../api.js';
import { ACTIONS, Badge, Choice, Json, Loading, OutcomeNote, Table, time, useAction, useLoad } from '../components.js';
import { VendorAndMerchant } from '../filters.js';
import { Page } from '../page.js';
import { changeParams } from '../router.js';
import type { Delivery, Health, Tenant } from '../types.js';

const STATES = ['pending', 'retrying', 'delivered', 'failed', 'no_url'];

export function WebhooksView({ params }: { params: URLSearchParams }) {
  const state = params.get('state') ?? undefined;
  const tenant = params.get('tenant') ?? undefined;
  const vendor = params.get('vendor') ?? undefined;
  const deliveries = useLoad(() => get<{ deliveries: Delivery[] }>(`/webhooks${query({ state, tenant, vendor })}`), [state, tenant, vendor]);
  const tenants = useLoad(() => get<{ tenants: Tenant[] }>('/tenants'), []);
  const health = useLoad(() => get<Health>('/health'), []);
  const [outcome, busy, run] = useAction();
  const resend = (d: Delivery) =>
    run(async () => {
      await post(`/webhooks/${encodeURIComponent(d.id)}/resend`, {});
      deliveries.reload();
      return `${d.id} was queued again; it is sent to the merchant's current URL.`;
    });
  const set = (change: Record<string, string | undefined>) => changeParams(['webhooks'], change, ['state', 'tenant', 'vendor']);
  return (
    <Page title="Webhooks" intro="Every webhook the sandbox has sent or tried to send, newest last, with every attempt.">
      <form class="filters" aria-label="Filter webhooks" onSubmit={(e) => e.preventDefault()}>
        <Choice label="State" name="state" value={state} options={STATES} all="Every state" onChange={(v) => set({ state: v })} />
        <VendorAndMerchant vendors={health.data?.vendors ?? []} tenants={tenants.data?.tenants ?? []} vendor={vendor} tenant={tenant} onChange={set} />
        <button type="button" class="quiet" onClick={deliveries.reload}>
          Refresh
        </button>
      </form>
      <OutcomeNote outcome={outcome} />
      <Loading loaded={deliveries}>
        {(list) =>
          list.deliveries.length === 0 ? (
            <p class="muted">No deliveries{state ? ` in state ${state}` : ''}.</p>
          ) : (
            <div class="table-wrap">
              <Table class="webhooks" caption="Webhook deliveries" columns={['Delivery', 'Merchant', 'Event', 'State', 'Attempts', 'Next retry', ACTIONS]}>
                {list.deliveries.map((d) => (
                  <tr key={d.id} data-delivery={d.id} data-state={d.state}>
                    <th scope="row">
                      <code>{d.id}</code>
                      <div class="muted">{time(d.createdAt)}</div>
                    </th>
                    <td>{d.tenantId}</td>
                    <td>{d.event}</td>
                    <td>
                      <Badge state={d.state} />
                    </td>
                    <td>
                      <Attempts delivery={d} />
                    </td>
                    <td class="nowrap">{time(d.nextAttemptAt)}</td>
                    <td>
                      {(d.state === 'delivered' || d.state === 'failed' || d.state === 'no_url') && (
                        <button type="button" class="small" disabled={busy} aria-label={`Resend ${d.id}`} onClick={() => resend(d)}>
                          Resend
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            </div>
          )
        }
      </Loading>
    </Page>
  );
}

function Attempts({ delivery }: { delivery: Delivery }) {
  const n = delivery.attempts.length;
  return (
    <details>
      <summary>
        {n} attempt{n === 1 ? '' : 's'}
        {n > 0 && (
          <>
            {', last '}
            <Badge state={delivery.attempts[n - 1].status ?? 'error'} label="answer" />
          </>
        )}
      </summary>
      <ol class="attempts">
        {delivery.attempts.map((a, i) => (
          <li key={i}>
            <time>{time(a.at)}</time> <code>{a.url}</code> {a.status !== undefined ? <Badge state={a.status} label="HTTP status" /> : null}{' '}
            {a.error && <span class="diagnostic">{a.error}</span>} <span class="muted">{a.ms} ms</span>
            {a.response !== undefined && a.response !== '' && (
              <pre class="json small" tabIndex={0}>
                {a.response}
              </pre>
            )}
          </li>
        ))}
      </ol>
      <h4>Body sent</h4>
      <Json value={delivery.body} />
    </details>
  );
}
