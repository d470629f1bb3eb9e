/** The sandbox's settings as the core reads them; src/config.ts fills them from flags, environment and defaults. */
import type { RetentionPolicy } from './retention.js';

/** `*` for any origin, or the exact origins allowed (`https://app.example.com`). */
export type CorsSetting = '*' | readonly string[];

export interface Config {
  host: string;
  port: number;
  /** Store file, or `:memory:`. */
  db: string;
  strictContracts: boolean;
  /** Freeze the clock at start (ms since epoch), for reproducible runs. */
  frozenAt?: number;
  logLevel: string;
  bodyLimitBytes: number;
  webhookTimeoutMs: number;
  durability: 'fsync' | 'write';
  /** The PostgreSQL store's connections per replica (`--db` postgres://… only). */
  dbPool: number;
  /** The PostgreSQL store's longest statement, in ms: past it the request gets the internal error. */
  dbStatementTimeoutMs: number;
  /** The PostgreSQL store's longest connect (and health ping), in ms. */
  dbConnectTimeoutMs: number;
  /** Requests kept in the journal (GET /__sandbox/requests); 0 keeps none. */
  journalEntries: number;
  /** Bytes of each request and answer body the journal keeps. */
  journalBodyBytes: number;
  /** When set, every /__sandbox route but GET /__sandbox/health needs `Authorization: Bearer <token>`. */
  adminToken?: string;
  /** CORS for browser clients: `*` or the origins allowed; off when unset (core/cors.ts). */
  cors?: CorsSetting;
  /** What is forgotten on the sandbox clock, and when (core/retention.ts). */
  retention: RetentionPolicy;
}
