/** Faults: add, list and remove fault rules; beside them, the request values that force an outcome. */
import { useState } from 'preact/hooks';
import { del, get, post } from '../api.js';
import { ACTIONS, Choice, Field, Loading, OutcomeNote, Table, useAction, useLoad } from '../components.js';
import { Page } from '../page.js';
import type { FaultRule, Health, MagicValue } from '../types.js';

const KINDS: Record<string, { label: string; field?: { name: string; label: string; value: string } }> = {
  http_error: { label: 'HTTP error', field: { name: 'status', label: 'HTTP status', value: '503' } },
  error: { label: "The vendor's error code", field: { name: 'code', label: 'Vendor code', value: '' } },
  latency: { label: 'Latency', field: { name: 'latencyMs', label: 'Delay (ms)', value: '2000' } },
  rate_limit: { label: 'Rate limit', field: { name: 'retryAfter', label: 'Retry-After (s)', value: '1' } },
  drop: { label: 'Drop the connection' },
  commit_then_drop: { label: 'Commit, then drop the answer' },
};

export function FaultsView() {
  const faults = useLoad(() => get<{ faults: Array<FaultRule & { remaining?: number }> }>('/faults'), []);
  const magic = useLoad(() => get<{ vendors: Record<string, MagicValue[]> }>('/magic-values'), []);
  const [outcome, busy, run] = useAction();
  const remove = (rule: FaultRule) =>
    run(async () => {
      await del(`/faults/${encodeURIComponent(rule.id)}`);
      faults.reload();
      return `Removed fault ${rule.id}.`;
    });
  return (
    <Page title="Faults" intro="Rules that make vendor requests slow, fail or lose their answer, to test a client's timeouts and retries.">
      <div class="grid-2 wide-left">
        <div>
          <section aria-labelledby="rules-h">
            <h2 id="rules-h">Rules</h2>
            <OutcomeNote outcome={outcome} />
            <Loading loaded={faults}>
              {(list) =>
                list.faults.length === 0 ? (
                  <p class="muted">No fault rules: every request is answered normally.</p>
                ) : (
                  <Table caption="Fault rules, in the order they are checked" columns={['Rule', 'Applies to', 'Fault', 'Times left', ACTIONS]}>
                    {list.faults.map((f) => (
                      <tr key={f.id} data-fault={f.id}>
                        <th scope="row">
                          <code>{f.id}</code>
                        </th>
                        <td>{[f.vendor ?? 'every vendor', f.operation, f.tenant].filter(Boolean).join(' · ')}</td>
                        <td>
                          {KINDS[f.fault]?.label ?? f.fault} {f.status ?? f.code ?? (f.latencyMs !== undefined ? `${f.latencyMs} ms` : '')}
                          {f.probability !== undefined && <span class="muted"> (p={f.probability})</span>}
                        </td>
                        <td>{f.remaining ?? f.times ?? 'every time'}</td>
                        <td>
                          <button type="button" class="small" disabled={busy} aria-label={`Remove fault ${f.id}`} onClick={() => remove(f)}>
                            Remove
                          </button>
                        </td>
                      </tr>
                    ))}
                  </Table>
                )
              }
            </Loading>
          </section>
          <AddFault onAdded={faults.reload} />
        </div>
        <section aria-labelledby="magic-h" class="panel">
          <h2 id="magic-h">Magic values</h2>
          <p class="hint">Request values that force an outcome, no rule needed.</p>
          <Loading loaded={magic}>
            {(m) => (
              <>
                {Object.entries(m.vendors).map(([vendor, values]) => (
                  <div key={vendor}>
                    <h3>{vendor}</h3>
                    <ul class="magic">
                      {values.map((v, i) => (
                        <li key={i}>
                          <code>
                            {v.operation}.{v.field} = {v.value}
                          </code>
                          <div>
                            <strong>{v.outcome}</strong>: {v.description}
                          </div>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </>
            )}
          </Loading>
        </section>
      </div>
    </Page>
  );
}

function AddFault({ onAdded }: { onAdded: () => void }) {
  const [vendors, setVendors] = useState<string[]>([]);
  useLoad(() => get<Health>('/health').then((h) => setVendors(h.vendors)), []);
  const [kind, setKind] = useState('http_error');
  const [vendor, setVendor] = useState('');
  const [operation, setOperation] = useState('');
  const [tenant, setTenant] = useState('');
  const [value, setValue] = useState(KINDS.http_error.field!.value);
  const [times, setTimes] = useState('');
  const [outcome, busy, run] = useAction();
  const field = KINDS[kind].field;
  const submit = (event: Event) => {
    event.preventDefault();
    run(async () => {
      const rule: Record<string, unknown> = { fault: kind };
      if (vendor) rule.vendor = vendor;
      if (operation.trim()) rule.operation = operation.trim();
      if (tenant.trim()) rule.tenant = tenant.trim();
      if (times.trim()) rule.times = Number(times);
      if (field) rule[field.name] = field.name === 'code' ? value.trim() : Number(value);
      const added = await post<FaultRule>('/faults', rule);
      onAdded();
      return `Added fault ${added.id}.`;
    });
  };
  return (
    <section aria-labelledby="add-fault-h">
      <h2 id="add-fault-h">Add a rule</h2>
      <form class="inline-form" onSubmit={submit}>
        <Field label="Fault">
          <select
            name="fault"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              setValue(KINDS[e.currentTarget.value].field?.value ?? '');
            }}
          >
            {Object.entries(KINDS).map(([k, v]) => (
              <option key={k} value={k}>
                {v.label}
              </option>
            ))}
          </select>
        </Field>
        {field && (
          <Field label={field.label}>
            <input name={field.name} value={value} size={8} onInput={(e) => setValue(e.currentTarget.value)} />
          </Field>
        )}
        <Choice label="Vendor" name="vendor" value={vendor} options={vendors} all="Every vendor" onChange={(v) => setVendor(v ?? '')} />
        <Field label="Operation (optional)">
          <input name="operation" value={operation} size={14} onInput={(e) => setOperation(e.currentTarget.value)} />
        </Field>
        <Field label="Merchant (optional)">
          <input name="tenant" value={tenant} size={14} onInput={(e) => setTenant(e.currentTarget.value)} />
        </Field>
        <Field label="Times (optional)">
          <input name="times" inputMode="numeric" value={times} size={4} onInput={(e) => setTimes(e.currentTarget.value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Add rule
        </button>
      </form>
      <OutcomeNote outcome={outcome} />
    </section>
  );
}
