/** Scenarios: load a pack, reset (all or one merchant), download a snapshot, upload a pack of your own. */
import { useState } from 'preact/hooks';
import { authHeaders, get, post, query } from '../api.js';
import { ACTIONS, Choice, Field, Loading, OutcomeNote, Table, useAction, useLoad } from '../components.js';
import { Page } from '../page.js';
import type { Scenario, Tenant } from '../types.js';

export function ScenariosView() {
  const scenarios = useLoad(() => get<{ scenarios: Scenario[] }>('/scenarios'), []);
  const tenants = useLoad(() => get<{ tenants: Tenant[] }>('/tenants'), []);
  const [outcome, busy, run] = useAction();
  const load = (name: string) =>
    run(async () => {
      await post(`/scenarios/${encodeURIComponent(name)}`, {});
      tenants.reload();
      return `Loaded scenario ${name}: the whole state was replaced.`;
    });
  return (
    <Page title="Scenarios" intro="A scenario pack is a whole sandbox state: merchants, cards, accounts, webhooks and the clock.">
      <OutcomeNote outcome={outcome} />
      <section aria-labelledby="packs-h">
        <h2 id="packs-h">Packs</h2>
        <Loading loaded={scenarios}>
          {(s) => (
            <Table caption="Scenario packs" columns={['Pack', 'What it holds', ACTIONS]}>
              {s.scenarios.map((p) => (
                <tr key={p.name}>
                  <th scope="row">
                    <code>{p.name}</code>
                  </th>
                  <td>{p.description}</td>
                  <td>
                    <button type="button" disabled={busy} aria-label={`Load ${p.name}`} onClick={() => load(p.name)}>
                      Load
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Loading>
      </section>
      <div class="grid-2">
        <Reset scenarios={scenarios.data?.scenarios ?? []} tenants={tenants.data?.tenants ?? []} run={run} busy={busy} />
        <Snapshot />
      </div>
      <Upload tenants={tenants.data?.tenants ?? []} onLoaded={tenants.reload} />
    </Page>
  );
}

type Run = (work: () => Promise<string>) => void;

function Reset({ scenarios, tenants, run, busy }: { scenarios: Scenario[]; tenants: Tenant[]; run: Run; busy: boolean }) {
  const [scenario, setScenario] = useState('default');
  const [tenant, setTenant] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    run(async () => {
      await post('/reset', { scenario, ...(tenant ? { tenant } : {}) });
      return tenant ? `Merchant ${tenant} was reset from ${scenario}.` : `The whole sandbox was reset from ${scenario}.`;
    });
  };
  return (
    <section aria-labelledby="reset-h" class="panel">
      <h2 id="reset-h">Reset</h2>
      <form onSubmit={submit} class="stack">
        <Choice label="From scenario" name="scenario" value={scenario} options={scenarios.map((s) => s.name)} onChange={(v) => setScenario(v ?? 'default')} />
        <Choice
          label="Merchant"
          name="tenant"
          value={tenant}
          options={tenants.map((t) => t.id)}
          all="Every merchant (the whole sandbox)"
          onChange={(v) => setTenant(v ?? '')}
        />
        <button type="submit" disabled={busy}>
          Reset
        </button>
      </form>
    </section>
  );
}

function Snapshot() {
  const [outcome, busy, run] = useAction();
  const [link, setLink] = useState<{ url: string; name: string }>();
  const take = () =>
    run(async () => {
      const res = await fetch('/__sandbox/snapshot', { headers: authHeaders() });
      if (!res.ok) throw new Error(`snapshot refused: HTTP ${res.status} ${res.headers.get('x-sandbox-diagnostic') ?? ''}`);
      const blob = await res.blob();
      if (link) URL.revokeObjectURL(link.url);
      const name = `card-sandbox-snapshot-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      const url = URL.createObjectURL(blob);
      setLink({ url, name });
      // Starts the download at once; the link stays for a second try.
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      return `Snapshot taken (${Math.round(blob.size / 1024)} KiB).`;
    });
  return (
    <section aria-labelledby="snapshot-h" class="panel">
      <h2 id="snapshot-h">Snapshot</h2>
      <p>The whole state as a pack, clock included: load it later with Upload.</p>
      <button type="button" disabled={busy} onClick={() => take()}>
        Download snapshot
      </button>
      {link && (
        <p>
          <a href={link.url} download={link.name}>
            {link.name}
          </a>
        </p>
      )}
      <OutcomeNote outcome={outcome} />
    </section>
  );
}

function Upload({ tenants, onLoaded }: { tenants: Tenant[]; onLoaded: () => void }) {
  const [file, setFile] = useState<File>();
  const [tenant, setTenant] = useState('');
  const [outcome, busy, run] = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!file) return;
    run(async () => {
      const text = await file.text();
      try {
        JSON.parse(text);
      } catch (e) {
        throw new Error(`${file.name} is not JSON: ${(e as Error).message}`);
      }
      await post(`/scenarios${query({ tenant })}`, text);
      onLoaded();
      return `Loaded ${file.name}${tenant ? ` into merchant ${tenant}` : ''}.`;
    });
  };
  return (
    <section aria-labelledby="upload-h">
      <h2 id="upload-h">Upload a pack</h2>
      <form onSubmit={submit} class="inline-form">
        <Field label="Pack file (JSON)">
          <input type="file" name="pack" accept="application/json,.json" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </Field>
        <Choice
          label="Load into"
          name="tenant"
          value={tenant}
          options={tenants.map((t) => [t.id, `${t.id} only`] as const)}
          all="The whole sandbox"
          onChange={(v) => setTenant(v ?? '')}
        />
        <button type="submit" disabled={busy || !file}>
          Upload and load
        </button>
      </form>
      <p class="hint">A refused pack changes nothing; the problem is shown with the JSON Pointer of the value at fault.</p>
      <OutcomeNote outcome={outcome} />
    </section>
  );
}
