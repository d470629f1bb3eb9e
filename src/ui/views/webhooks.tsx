/** Webhooks: every delivery with every attempt, filtered by state; a delivered or failed one can be sent again. */
import { get, post, query } from '../api.js';
import { Badge, Field, Json, Loading, OutcomeNote, time, useAction, useLoad } from '../components.js';
import { Page } from '../page.js';
import { replaceRoute } from '../router.js';
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
  const set = (change: Record<string, string | undefined>) => replaceRoute(['webhooks'], { state, tenant, vendor, ...change });
  return (
    <Page title="Webhooks" intro="Every webhook the sandbox has sent or tried to send, newest last, with every attempt.">
      <form class="filters" aria-label="Filter webhooks" onSubmit={(e) => e.preventDefault()}>
        <Field label="State">
          <select name="state" value={state ?? ''} onChange={(e) => set({ state: e.currentTarget.value || undefined })}>
            <option value="">Every state</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Vendor">
          <select name="vendor" value={vendor ?? ''} onChange={(e) => set({ vendor: e.currentTarget.value || undefined, tenant: undefined })}>
            <option value="">All vendors</option>
            {(health.data?.vendors ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Merchant">
          <select name="tenant" value={tenant ?? ''} onChange={(e) => set({ tenant: e.currentTarget.value || undefined })}>
            <option value="">All merchants</option>
            {(tenants.data?.tenants ?? [])
              .filter((t) => !vendor || t.vendor === vendor)
              .map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id}
                </option>
              ))}
          </select>
        </Field>
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
              <table class="webhooks">
                <caption class="visually-hidden">Webhook deliveries</caption>
                <thead>
                  <tr>
                    <th scope="col">Delivery</th>
                    <th scope="col">Merchant</th>
                    <th scope="col">Event</th>
                    <th scope="col">State</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Next retry</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
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
                </tbody>
              </table>
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
