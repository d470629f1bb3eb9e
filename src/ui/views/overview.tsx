/** Overview: the vendors and their base URLs, the merchants and their credentials, the clock, the store. */
import { useId, useState } from 'preact/hooks';
import { get, patch, post } from '../api.js';
import { Badge, Choice, Field, Loading, OutcomeNote, Secret, Table, useAction, useLoad } from '../components.js';
import { Page } from '../page.js';
import type { Health, Scenario, SettingRule, Tenant, TenantList } from '../types.js';
import { ClockPanel } from './clock.js';
import { SettingsRow, SettingsToggle } from './settings.js';

interface OpenApiList {
  documents: Array<{ vendor: string; title: string; url: string }>;
}

interface VendorInfo {
  slug: string;
  title: string;
  document: string;
  servers: string[];
}

async function vendorInfo(): Promise<VendorInfo[]> {
  const [health, list] = await Promise.all([get<Health>('/health'), get<OpenApiList>('/openapi')]);
  return Promise.all(
    health.vendors.map(async (slug) => {
      const doc = list.documents.find((d) => d.vendor === slug);
      const openapi = await get<{ servers?: Array<{ url: string; variables?: Record<string, { default: string }> }> }>(`/openapi/${encodeURIComponent(slug)}`);
      const servers = (openapi.servers ?? []).map((s) => s.url.replace(/\{(\w+)\}/g, (_m, name: string) => s.variables?.[name]?.default ?? name));
      return { slug, title: doc?.title ?? slug, document: `/__sandbox/openapi/${slug}`, servers };
    }),
  );
}

export function OverviewView() {
  const health = useLoad(() => get<Health>('/health'), []);
  const vendors = useLoad(vendorInfo, []);
  const tenants = useLoad(() => get<TenantList>('/tenants'), []);
  return (
    <Page title="Overview" intro="What this sandbox serves, the merchants you can call it as, its clock and its store.">
      <div class="grid-2">
        <section aria-labelledby="health-h" class="panel">
          <h2 id="health-h">Store health</h2>
          <Loading loaded={health}>
            {(h) => (
              <dl class="facts">
                <dt>Status</dt>
                <dd>
                  <Badge state={h.status} />
                  {h.storeFailure && <span class="diagnostic"> {h.storeFailure}</span>}
                </dd>
                <dt>Store</dt>
                <dd>
                  <code>{h.store}</code>
                </dd>
                <dt>Up for</dt>
                <dd>{Math.round(h.uptimeMs / 1000)} s</dd>
              </dl>
            )}
          </Loading>
        </section>
        <ClockPanel />
      </div>

      <section aria-labelledby="vendors-h">
        <h2 id="vendors-h">Vendors</h2>
        <Loading loaded={vendors}>
          {(list) => (
            <Table caption="Vendors and the base URLs their API is served at" columns={['Vendor', 'Base URLs', 'OpenAPI']}>
              {list.map((v) => (
                <tr key={v.slug}>
                  <th scope="row">
                    {v.title} <span class="muted">({v.slug})</span>
                  </th>
                  <td>
                    <ul class="plain">
                      {v.servers.map((s) => (
                        <li key={s}>
                          <code>{s}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <a href={v.document}>{v.slug} document</a>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Loading>
      </section>

      <section aria-labelledby="tenants-h">
        <h2 id="tenants-h">Merchants (tenants)</h2>
        <Loading loaded={tenants}>{(t) => <TenantTable tenants={t.tenants} settings={t.settings} onChanged={tenants.reload} />}</Loading>
        <NewTenant vendors={health.data?.vendors ?? []} onCreated={tenants.reload} />
      </section>
    </Page>
  );
}

const TENANT_COLUMNS = ['Merchant', 'Vendor', 'Credentials', 'Webhook URL', 'Settings'];

function TenantTable({ tenants, settings, onChanged }: { tenants: Tenant[]; settings: Record<string, Record<string, SettingRule>>; onChanged: () => void }) {
  return (
    <Table caption="Merchants with their credentials, webhook URL and settings" columns={TENANT_COLUMNS}>
      {tenants.map((t) => (
        <TenantRow key={t.id} tenant={t} rules={settings[t.vendor] ?? {}} onChanged={onChanged} />
      ))}
    </Table>
  );
}

function TenantRow({ tenant: t, rules, onChanged }: { tenant: Tenant; rules: Record<string, SettingRule>; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const settingsId = useId();
  return (
    <>
      <tr data-tenant={t.id}>
        <th scope="row">
          <code>{t.id}</code>
          <div class="muted">{t.name}</div>
        </th>
        <td>{t.vendor}</td>
        <td>
          <dl class="credentials">
            {Object.entries(t.credentials).map(([field, value]) => (
              <div key={field}>
                <dt>{field}</dt>
                <dd>
                  <Secret value={value} label={`${t.id} ${field}`} />
                </dd>
              </div>
            ))}
          </dl>
        </td>
        <td>
          <WebhookUrl tenant={t} onChanged={onChanged} />
        </td>
        <td>
          <SettingsToggle tenant={t} rules={rules} open={open} controls={settingsId} onToggle={() => setOpen(!open)} />
        </td>
      </tr>
      {open && <SettingsRow id={settingsId} tenant={t} rules={rules} columns={TENANT_COLUMNS.length} onChanged={onChanged} />}
    </>
  );
}

/** A merchant's webhook URL, editable in place (PATCH /__sandbox/tenants/<id>); empty means none. */
function WebhookUrl({ tenant, onChanged }: { tenant: Tenant; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(tenant.webhookUrl ?? '');
  const [outcome, busy, run] = useAction();
  if (!editing)
    return (
      <span class="secret">
        {tenant.webhookUrl ? <code>{tenant.webhookUrl}</code> : <span class="muted">none</span>}
        <button type="button" class="small" aria-label={`Change the webhook URL of ${tenant.id}`} onClick={() => setEditing(true)}>
          Change
        </button>
      </span>
    );
  const save = (event: Event) => {
    event.preventDefault();
    run(async () => {
      await patch(`/tenants/${encodeURIComponent(tenant.id)}`, { webhookUrl: value.trim() || null });
      setEditing(false);
      onChanged();
      return `${tenant.id} sends its webhooks to ${value.trim() || 'nowhere'}.`;
    });
  };
  return (
    <form class="row" onSubmit={save}>
      <Field label={`Webhook URL of ${tenant.id}`}>
        <input type="url" name="webhookUrl" value={value} size={28} onInput={(e) => setValue(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="small" disabled={busy}>
        Save
      </button>
      <button type="button" class="small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      <OutcomeNote outcome={outcome} />
    </form>
  );
}

function NewTenant({ vendors, onCreated }: { vendors: string[]; onCreated: () => void }) {
  const scenarios = useLoad(() => get<{ scenarios: Scenario[] }>('/scenarios'), []);
  const [vendor, setVendor] = useState('');
  const [scenario, setScenario] = useState('default');
  const [name, setName] = useState('');
  const [outcome, busy, run] = useAction();
  const chosen = vendor || vendors[0] || '';
  const submit = (event: Event) => {
    event.preventDefault();
    run(async () => {
      const created = await post<Tenant>('/tenants', { vendor: chosen, scenario, ...(name ? { name } : {}) });
      onCreated();
      return `Created merchant ${created.id} (${created.vendor}).`;
    });
  };
  return (
    <form class="inline-form" onSubmit={submit} aria-labelledby="new-tenant-h">
      <h3 id="new-tenant-h">New merchant</h3>
      <Choice label="Vendor" name="vendor" value={chosen} options={vendors} onChange={(v) => setVendor(v ?? '')} />
      <Choice
        label="Records from scenario"
        name="scenario"
        value={scenario}
        options={(scenarios.data?.scenarios ?? [{ name: 'default' }]).map((s) => s.name)}
        onChange={(v) => setScenario(v ?? 'default')}
      />
      <Field label="Name (optional)">
        <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={busy || !chosen}>
        Create merchant
      </button>
      <OutcomeNote outcome={outcome} />
    </form>
  );
}
