/** The dashboard: a login prompt when the sandbox has an admin token, then the views, one per hash route. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { adminToken, ApiError, get, whenUnauthenticated } from './api.js';
import { ErrorNote, Field, fire } from './components.js';
import { Page } from './page.js';
import { useRoute, href } from './router.js';
import { CardPage } from './views/card.js';
import { CardsView } from './views/cards.js';
import { FaultsView } from './views/faults.js';
import { OverviewView } from './views/overview.js';
import { RequestsView } from './views/requests.js';
import { ScenariosView } from './views/scenarios.js';
import { WebhooksView } from './views/webhooks.js';

const VIEWS = [
  { path: '', label: 'Overview' },
  { path: 'scenarios', label: 'Scenarios' },
  { path: 'cards', label: 'Cards' },
  { path: 'webhooks', label: 'Webhooks' },
  { path: 'requests', label: 'Requests' },
  { path: 'faults', label: 'Faults' },
];

type Access = 'checking' | 'open' | 'login';

function App() {
  const [access, setAccess] = useState<Access>('checking');
  const [problem, setProblem] = useState<unknown>();
  const check = async () => {
    try {
      await get('/clock');
      setAccess('open');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setAccess('login');
      else setProblem(error);
    }
  };
  useEffect(() => {
    whenUnauthenticated(() => setAccess('login'));
    fire(check());
  }, []);
  if (problem !== undefined)
    return (
      <main id="main" class="login">
        <h1>card-sandbox</h1>
        <ErrorNote error={problem} />
      </main>
    );
  if (access === 'checking') return <p class="loading">Loading the dashboard…</p>;
  if (access === 'login') return <Login onDone={() => setAccess('open')} />;
  return <Shell />;
}

function Login({ onDone }: { onDone: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    adminToken.set(token);
    try {
      await get('/clock');
      onDone();
    } catch (e) {
      adminToken.clear();
      setError(e instanceof ApiError && e.status === 401 ? 'That is not the admin token.' : e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <main id="main" class="login">
      <h1>card-sandbox dashboard</h1>
      <p>This sandbox has an admin token (SANDBOX_ADMIN_TOKEN). Enter it to open the dashboard; it is kept for this browser tab only.</p>
      <form onSubmit={(e) => fire(submit(e))}>
        <Field label="Admin token">
          <input type="password" name="token" autocomplete="current-password" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </Field>
        <button type="submit">Open the dashboard</button>
        {error && (
          <p class="note note-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Shell() {
  const route = useRoute();
  const view = route.parts[0] ?? '';
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href([])}>
          card-sandbox
        </a>
        <nav aria-label="Views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.path}>
                <a href={href(v.path ? [v.path] : [])} aria-current={v.path === view ? 'page' : undefined}>
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {adminToken.get() && (
          <button
            type="button"
            class="small quiet"
            onClick={() => {
              adminToken.clear();
              location.reload();
            }}
          >
            Log out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Current parts={route.parts} params={route.params} />
      </main>
    </>
  );
}

function Current({ parts, params }: { parts: string[]; params: URLSearchParams }) {
  const [view, a, b] = parts;
  if (view === undefined) return <OverviewView />;
  if (view === 'scenarios') return <ScenariosView />;
  if (view === 'cards' && a !== undefined && b !== undefined)
    return <CardPage key={`${a}/${b}`} vendor={a} cardId={b} tenant={params.get('tenant') ?? undefined} />;
  if (view === 'cards') return <CardsView params={params} />;
  if (view === 'webhooks') return <WebhooksView params={params} />;
  if (view === 'requests') return <RequestsView />;
  if (view === 'faults') return <FaultsView />;
  return (
    <Page title="Not found">
      <p>
        No view here. <a href={href([])}>Go to the overview</a>.
      </p>
    </Page>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
