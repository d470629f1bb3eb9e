/** Flags > environment > defaults, into one frozen Config. */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import type { Config, CorsSetting } from './core/config.js';
import { parseCors } from './core/cors.js';
import { parseDuration, type RetentionPolicy } from './core/retention.js';
import { POOL_DEFAULTS } from './store-pg/pool.js';

export type { Config };

export const DEFAULTS: Config = Object.freeze({
  host: '127.0.0.1',
  port: 4010,
  db: './data/sandbox.json',
  strictContracts: false,
  logLevel: 'info',
  bodyLimitBytes: 1024 * 1024,
  webhookTimeoutMs: 5000,
  durability: 'write',
  dbPool: POOL_DEFAULTS.size,
  dbStatementTimeoutMs: POOL_DEFAULTS.statementTimeoutMs,
  dbConnectTimeoutMs: POOL_DEFAULTS.connectTimeoutMs,
  journalEntries: 1000,
  journalBodyBytes: 16 * 1024,
  retention: Object.freeze({
    idempotencyMs: 24 * 3_600_000,
    idempotencyKeysMs: 7 * 86_400_000,
    noncesMs: 5 * 60_000,
    webhooksMs: 7 * 86_400_000,
    webhookEntries: 1000,
    historyMs: Infinity,
  }),
});

/** Retention flags: flag, environment variable, and the policy field each sets. */
const RETENTION_FLAGS = [
  ['retention-idempotency', 'SANDBOX_RETENTION_IDEMPOTENCY', 'idempotencyMs'],
  ['retention-idempotency-keys', 'SANDBOX_RETENTION_IDEMPOTENCY_KEYS', 'idempotencyKeysMs'],
  ['retention-nonces', 'SANDBOX_RETENTION_NONCES', 'noncesMs'],
  ['retention-webhooks', 'SANDBOX_RETENTION_WEBHOOKS', 'webhooksMs'],
  ['retention-history', 'SANDBOX_RETENTION_HISTORY', 'historyMs'],
] as const;

/** The server's usage, naming the vendors it serves. */
export const usage = (vendors: ReadonlyArray<{ slug: string }>): string => `Usage: card-sandbox [serve] [options]
       card-sandbox <command> [options]   (a client of a running sandbox; card-sandbox <command> --help)

Serves the emulated card-issuing vendors (${vendors.map((v) => v.slug).join(', ')}) on one port, with the default scenario.

Options (environment variable in brackets):
  --host <addr>          address to listen on [HOST] (default 127.0.0.1)
  --port <n>             port; 0 picks a free one [PORT] (default 4010)
  --db <path|:memory:|postgres://user:pass@host:port/db>
                         store file, created on first start, or a PostgreSQL database (schema created and
                         migrated at start) [SANDBOX_DB] (default ./data/sandbox.json)
  --db-pool <n>          PostgreSQL: connections per replica [SANDBOX_DB_POOL] (default 10)
  --db-statement-timeout <d>  PostgreSQL: longest statement; past it, the vendor's internal error [SANDBOX_DB_STATEMENT_TIMEOUT] (default 5s)
  --db-connect-timeout <d>    PostgreSQL: longest connect, and health's ping [SANDBOX_DB_CONNECT_TIMEOUT] (default 2s)
  --strict-contracts     answer any response that breaks its JSON Schema with the vendor's internal error [SANDBOX_STRICT_CONTRACTS=1]
  --freeze <ms>          start with the clock frozen at this instant [SANDBOX_FREEZE]
  --durability <mode>    write (default) or fsync: when a write counts as stored [SANDBOX_DURABILITY]
  --log-level <level>    pino level: fatal … trace, or silent [LOG_LEVEL] (default info)
  --journal-entries <n>  requests kept in the journal; 0 keeps none [SANDBOX_JOURNAL_ENTRIES] (default 1000)
  --journal-body-bytes <n>  bytes of each body the journal keeps [SANDBOX_JOURNAL_BODY_BYTES] (default 16384)
  --retention-idempotency <d>       how long an idempotency key's answer is replayed [SANDBOX_RETENTION_IDEMPOTENCY] (default 24h)
  --retention-idempotency-keys <d>  how long a key stays used after that: a reuse is refused [SANDBOX_RETENTION_IDEMPOTENCY_KEYS] (default 7d)
  --retention-nonces <d>            how long a used request id (nonce) is refused [SANDBOX_RETENTION_NONCES] (default 5m)
  --retention-webhooks <d>          how long delivered and failed webhooks stay in the log [SANDBOX_RETENTION_WEBHOOKS] (default 7d)
  --retention-webhook-entries <n>   delivered and failed webhooks kept per merchant [SANDBOX_RETENTION_WEBHOOK_ENTRIES] (default 1000)
  --retention-history <d>           forget settled history (ledger movements, transactions, settled records) older than this;
                                    balances are kept [SANDBOX_RETENTION_HISTORY] (default off: kept for good, as the vendors do)
                         durations <d> are on the sandbox clock: 500ms, 30s, 5m, 24h, 7d, or off (keep forever)
  --admin-token <token>  require "Authorization: Bearer <token>" on the control plane (/__sandbox, all but
                         GET /__sandbox/health) [SANDBOX_ADMIN_TOKEN]; needed to listen beyond loopback,
                         where it must have at least 16 characters
  --cors <origins>       answer browsers: CORS headers and preflight OPTIONS on vendor paths and /__sandbox, for
                         * or a comma list of origins (https://app.example.com,http://localhost:3000) [SANDBOX_CORS] (default off)
  -h, --help             show this help

Commands: scenario, snapshot, reset, tenant, clock, simulate, requests, faults, webhooks, magic-values,
outcome, timeline, cards, card, wait (each takes --url [SANDBOX_URL] and --token [SANDBOX_ADMIN_TOKEN]).
`;

export class ConfigError extends Error {
  /** Whether the usage helps (a bad flag), or only the message (a refusal such as an unsafe listen). */
  readonly showUsage: boolean;

  constructor(message: string, { showUsage = true } = {}) {
    super(message);
    this.showUsage = showUsage;
  }
}

/** Options given in code: any field of Config, and any part of the retention policy (the rest keeps its default). */
export type ConfigOverrides = Partial<Omit<Config, 'retention'>> & { retention?: Partial<RetentionPolicy> };

export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = {}, overrides: ConfigOverrides = {}): Readonly<Config> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      'db-pool': { type: 'string' },
      'db-statement-timeout': { type: 'string' },
      'db-connect-timeout': { type: 'string' },
      'strict-contracts': { type: 'boolean' },
      freeze: { type: 'string' },
      durability: { type: 'string' },
      'log-level': { type: 'string' },
      'journal-entries': { type: 'string' },
      'journal-body-bytes': { type: 'string' },
      'admin-token': { type: 'string' },
      cors: { type: 'string' },
      'retention-idempotency': { type: 'string' },
      'retention-idempotency-keys': { type: 'string' },
      'retention-nonces': { type: 'string' },
      'retention-webhooks': { type: 'string' },
      'retention-webhook-entries': { type: 'string' },
      'retention-history': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const port = pick(values.port, 'PORT');
  const freeze = pick(values.freeze, 'SANDBOX_FREEZE');
  const durability = pick(values.durability, 'SANDBOX_DURABILITY');
  const journalEntries = pick(values['journal-entries'], 'SANDBOX_JOURNAL_ENTRIES');
  const journalBodyBytes = pick(values['journal-body-bytes'], 'SANDBOX_JOURNAL_BODY_BYTES');
  const retention: RetentionPolicy = { ...DEFAULTS.retention };
  for (const [flag, name, field] of RETENTION_FLAGS) {
    const value = pick(values[flag], name);
    if (value !== undefined) retention[field] = duration(flag, value);
  }
  const corsValue = pick(values.cors, 'SANDBOX_CORS');
  let cors: CorsSetting | undefined;
  try {
    cors = corsValue === undefined ? undefined : parseCors(corsValue);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const dbPool = pick(values['db-pool'], 'SANDBOX_DB_POOL');
  const dbStatementTimeout = pick(values['db-statement-timeout'], 'SANDBOX_DB_STATEMENT_TIMEOUT');
  const dbConnectTimeout = pick(values['db-connect-timeout'], 'SANDBOX_DB_CONNECT_TIMEOUT');
  const webhookEntries = pick(values['retention-webhook-entries'], 'SANDBOX_RETENTION_WEBHOOK_ENTRIES');
  if (webhookEntries !== undefined) retention.webhookEntries = integer('retention-webhook-entries', webhookEntries, 0, 1_000_000_000);
  const config: Config = {
    ...DEFAULTS,
    host: pick(values.host, 'HOST') ?? DEFAULTS.host,
    port: port === undefined ? DEFAULTS.port : integer('port', port, 0, 65535),
    db: pick(values.db, 'SANDBOX_DB') ?? DEFAULTS.db,
    strictContracts: values['strict-contracts'] ?? ['1', 'true'].includes(env.SANDBOX_STRICT_CONTRACTS ?? ''),
    frozenAt: freeze === undefined ? undefined : integer('freeze', freeze, 0, Number.MAX_SAFE_INTEGER),
    logLevel: pick(values['log-level'], 'LOG_LEVEL') ?? DEFAULTS.logLevel,
    durability: durability === undefined ? DEFAULTS.durability : oneOf('durability', durability, ['fsync', 'write'] as const),
    dbPool: dbPool === undefined ? DEFAULTS.dbPool : integer('db-pool', dbPool, 1, 1000),
    dbStatementTimeoutMs: dbStatementTimeout === undefined ? DEFAULTS.dbStatementTimeoutMs : wallDuration('db-statement-timeout', dbStatementTimeout),
    dbConnectTimeoutMs: dbConnectTimeout === undefined ? DEFAULTS.dbConnectTimeoutMs : wallDuration('db-connect-timeout', dbConnectTimeout),
    journalEntries: journalEntries === undefined ? DEFAULTS.journalEntries : integer('journal-entries', journalEntries, 0, 1_000_000),
    journalBodyBytes: journalBodyBytes === undefined ? DEFAULTS.journalBodyBytes : integer('journal-body-bytes', journalBodyBytes, 0, 16 * 1024 * 1024),
    adminToken: pick(values['admin-token'], 'SANDBOX_ADMIN_TOKEN'),
    ...(cors === undefined ? {} : { cors }),
    ...overrides,
    retention: Object.freeze({ ...retention, ...overrides.retention }),
  };
  return Object.freeze(config);
}

/** Loopback addresses only: 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) !== 6) return false;
  // The URL parser writes an IPv6 address in its one short form: [::1], and [::ffff:7fxx:…] for 127.x.x.x.
  const short = new URL(`http://[${h}]`).hostname;
  return short === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(short);
}

/** The shortest admin token accepted beyond loopback (16 characters: 96 bits as base64, 64 as hex). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/**
 * Refuses an admin token with whitespace anywhere (`Authorization: Bearer <token>` cannot carry it, so
 * the control plane would be locked), and to serve the control plane beyond loopback without a token of
 * at least MIN_ADMIN_TOKEN_LENGTH characters. Short tokens stay allowed on loopback, for local use.
 */
export function checkListen(host: string, adminToken: string | undefined): void {
  if (adminToken && /\s/.test(adminToken)) {
    throw new ConfigError(
      'refusing an admin token with whitespace in it: "Authorization: Bearer <token>" cannot carry it. Set SANDBOX_ADMIN_TOKEN (or --admin-token) to a token without spaces, e.g. $(openssl rand -hex 16).',
      { showUsage: false },
    );
  }
  if (isLoopback(host)) return;
  if (!adminToken) {
    throw new ConfigError(
      `refusing to listen on ${JSON.stringify(host)} without an admin token: anyone who can reach it could reset or rewrite the sandbox. ` +
        'Set SANDBOX_ADMIN_TOKEN (or --admin-token) to require "Authorization: Bearer <token>" on /__sandbox, or listen on 127.0.0.1.',
      { showUsage: false },
    );
  }
  if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `refusing to listen on ${JSON.stringify(host)} with an admin token of ${adminToken.length} characters: beyond loopback it needs at least ${MIN_ADMIN_TOKEN_LENGTH}, or anyone who can reach it could guess it. ` +
        'Set SANDBOX_ADMIN_TOKEN (or --admin-token) to e.g. $(openssl rand -hex 16), or listen on 127.0.0.1.',
      { showUsage: false },
    );
  }
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new ConfigError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

function duration(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new ConfigError(`--${name} must be a duration such as 30s, 5m, 24h or 7d (or off), got ${JSON.stringify(value)}`);
  return ms;
}

/** A wall-clock limit: a duration from 1 ms to an hour (`off` is refused: a database that hangs must not hang the sandbox). */
function wallDuration(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1 || ms > 3_600_000)
    throw new ConfigError(`--${name} must be a duration from 1ms to 1h, such as 500ms, 5s or 1m, got ${JSON.stringify(value)}`);
  return ms;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new ConfigError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
