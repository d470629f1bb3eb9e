/**
 * createSandbox: builds the runtime (store, clock, scheduler, webhooks, contracts, vendors), loads the
 * default scenario into an empty store (in memory unless `db` names a file), and returns the app with
 * listen/close. The programmatic entry for in-process tests; main.ts is the same plus process handling.
 */
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { createApp } from './app.js';
import { checkListen, loadConfig, type ConfigOverrides } from './config.js';
import { Clock } from './core/clock.js';
import { Contracts, CONTRACTS_DIR } from './core/contracts.js';
import { Faults } from './core/faults.js';
import { Idempotency } from './core/idempotency.js';
import { withCors } from './core/cors.js';
import { vendorDispatcher } from './core/dispatch.js';
import { MemoryJournal, type Journal } from './core/journal.js';
import { LEDGER_HISTORY } from './core/ledger.js';
import { jobType, vendorContext, type Runtime } from './core/runtime.js';
import { loadScenario, scenarioFor, type Scenario } from './core/scenario.js';
import type { VendorModule } from './core/vendor.js';
import { historyExpiry, nonceExpiry, sweep, sweepInterval, SWEEP_BATCH } from './core/retention.js';
import { Scheduler } from './core/scheduler.js';
import { Store } from './core/store.js';
import { isPostgresUrl } from './store-pg/pool.js';
import { PgJournal } from './store-pg/journal.js';
import { PgRuntimeStore } from './store-pg/runtime-store.js';
import { PgLeases, PgShared } from './store-pg/shared.js';
import { sweepPostgres } from './store-pg/sweep.js';
import { LOCAL_STATE } from './core/shared-state.js';
import { getTenant, listTenants } from './core/tenants.js';
import { Webhooks } from './core/webhooks.js';
import { VENDORS } from './vendors/index.js';

export interface SandboxOptions extends ConfigOverrides {
  /**
   * The store: a file path, `postgres://…` (the PostgreSQL store), or `:memory:` (the default here, so that a test run leaves nothing behind and
   * starts from the scenario; the CLI's default is ./data/sandbox.json).
   */
  db?: string;
  /** A store already open, used instead of opening `db` (tests of the store port); the sandbox closes it. */
  store?: Store;
  logger?: Logger;
  /** A scenario to load into an empty store instead of fixtures/scenarios/default.json. */
  scenario?: Scenario;
  /** Another contracts folder (tests of the contract machinery itself). */
  contractsDir?: string;
  /** The vendors to serve (default: the three of src/vendors); their default scenario is built from their seeds. */
  vendors?: readonly VendorModule[];
}

export interface Sandbox {
  /**
   * The whole sandbox as a Node request listener (the control plane, the vendors, the rest), for supertest
   * or a server of your own. Typed with Node's own types, so a consumer needs no Express types.
   */
  app: RequestListener;
  runtime: Runtime;
  clock: Clock;
  store: Store;
  /** Starts listening; resolves with the base URL. Refuses a host beyond loopback without an admin token. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, drains requests and jobs, flushes the store. */
  close(): Promise<void>;
  url?: string;
}

/** A webhook attempt's lease outlasts its timeout by this much, so that a slow attempt is not made twice. */
const LEASE_MARGIN_MS = 10_000;

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { logger, scenario, contractsDir, vendors = VENDORS, store: given, ...overrides } = options;
  const config = loadConfig([], {}, { ...overrides, db: overrides.db ?? ':memory:' });
  const log = logger ?? pino({ level: config.logLevel });
  const store =
    given ??
    (isPostgresUrl(config.db)
      ? await PgRuntimeStore.connect(config.db, {
          durability: config.durability,
          size: config.dbPool,
          statementTimeoutMs: config.dbStatementTimeoutMs,
          connectTimeoutMs: config.dbConnectTimeoutMs,
        })
      : await Store.open(config.db, { durability: config.durability }));
  const clock = new Clock(config.frozenAt);
  const scheduler = new Scheduler(store, clock, log);
  const { retention } = config;
  const webhooks = new Webhooks({
    store,
    scheduler,
    log,
    timeoutMs: config.webhookTimeoutMs,
    vendors: new Map(vendors.map((v) => [v.slug, v.webhooks])),
    retention: { ms: retention.webhooksMs, entries: retention.webhookEntries },
  });
  const idempotency = new Idempotency(clock, { answerMs: retention.idempotencyMs, keyMs: retention.idempotencyKeysMs });
  const history = [...LEDGER_HISTORY, ...vendors.flatMap((v) => v.history ?? [])];
  const expiring = [...idempotency.expiring(), nonceExpiry(retention.noncesMs), ...webhooks.expiring(), ...historyExpiry(history, retention.historyMs)];
  // The file store sweeps its memory in the upkeep's transaction; PostgreSQL reads a page at a time and commits per tenant.
  // Jobs that fell due while the database was away run once it answers again (the scheduler runs none while the store fails).
  if (store instanceof PgRuntimeStore) {
    store.pg.health.onRecovered(() => scheduler.kick());
    scheduler.everyAsync(sweepInterval(expiring), (now) => sweepPostgres(store, expiring, now, SWEEP_BATCH));
  } else scheduler.every(sweepInterval(expiring), (tx, now) => sweep(store, expiring, now, undefined, tx));
  const journalOptions = { maxEntries: config.journalEntries, maxBodyBytes: config.journalBodyBytes };
  // On PostgreSQL the journal is the database's, shared by every replica on it; else this process's.
  const journal: Journal =
    store instanceof PgRuntimeStore && isPostgresUrl(config.db)
      ? PgJournal.open(config.db, vendors, clock, log, journalOptions)
      : new MemoryJournal(vendors, clock, journalOptions);
  const faults = new Faults(vendors, store);
  const rt: Runtime = {
    config,
    log,
    store,
    clock,
    scheduler,
    webhooks,
    idempotency,
    contracts: Contracts.load(contractDirs(vendors, contractsDir)),
    vendors,
    journal,
    faults,
    shared: LOCAL_STATE,
  };
  if (store instanceof PgRuntimeStore) {
    // Replicas on one database: one clock, one set of rules, one copy of the tenants and jobs (src/store-pg/shared.ts).
    const shared = new PgShared({ store, clock, faults, scheduler, log, url: config.db });
    rt.shared = shared;
    scheduler.useLeases(new PgLeases(store), config.webhookTimeoutMs + LEASE_MARGIN_MS);
    store.onJobsCopied = () => scheduler.jobsChanged();
    // Before it serves anything, every other replica knows it is there (and reads the shared state before each request).
    await shared.join();
    await shared.sync();
  }
  for (const vendor of vendors) {
    for (const [name, run] of Object.entries(vendor.jobs)) {
      scheduler.define(jobType(vendor, name), {
        run: (job, ctx) => {
          const tenant = getTenant(ctx.tx, job.owner);
          if (tenant) run(vendorContext(rt, vendor, ctx.tx, tenant, ctx.now), job.payload);
          return { kind: 'settlement', vendor: vendor.slug, payload: job.payload };
        },
      });
    }
  }
  if (listTenants(store).length === 0) await loadScenario(store, scenario ?? (await scenarioFor(vendors, 'default')));
  // The first replica on a database states the clock for the others; a later one has taken theirs above.
  await rt.shared.publish();
  scheduler.kick();

  const dispatchVendor = withCors(rt.config.cors, vendorDispatcher(rt));
  const app = createApp(rt, dispatchVendor);
  let server: Server | undefined;
  // Connections that have not sent a request yet (a browser's or fetch's spare one, opened ahead of
  // need): closeIdleConnections leaves them be, and close() would wait for them to time out.
  const silent = new Set<Socket>();
  const sandbox: Sandbox = {
    app,
    runtime: rt,
    clock,
    store,
    listen(port = config.port, host = config.host) {
      try {
        checkListen(host, config.adminToken);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return new Promise((resolve, reject) => {
        // Vendor requests go straight to the dispatcher; Express serves the control plane and the rest.
        server = createServer((req, res) => {
          if (!dispatchVendor(req, res)) app(req, res);
        });
        server.on('connection', (socket: Socket) => {
          silent.add(socket);
          socket.once('close', () => silent.delete(socket));
        });
        server.on('request', (req: IncomingMessage) => silent.delete(req.socket));
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server!.address() as AddressInfo;
          sandbox.url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
          resolve(sandbox.url);
        });
      });
    },
    async close() {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        // Live tails of the journal never finish by themselves.
        journal.endTails();
        server.closeIdleConnections();
        for (const socket of silent) socket.destroy();
        await closing;
      }
      scheduler.close();
      await rt.shared.close();
      await scheduler.idle();
      await journal.close();
      await store.close();
    },
  };
  return sandbox;
}

/** The package's contracts (or `dir`), and the folders of vendors that bring their own. */
function contractDirs(vendors: readonly VendorModule[], dir = CONTRACTS_DIR): string[] {
  return [dir, ...vendors.flatMap((v) => (v.contractsDir ? [v.contractsDir] : []))];
}
