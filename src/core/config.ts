/** The sandbox's settings as the core reads them; src/config.ts fills them from flags, environment and defaults. */
import type { RetentionPolicy } from './retention.js';

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
  /** Requests kept in the journal (GET /__sandbox/requests); 0 keeps none. */
  journalEntries: number;
  /** Bytes of each request and answer body the journal keeps. */
  journalBodyBytes: number;
  /** When set, every /__sandbox route but GET /__sandbox/health needs `Authorization: Bearer <token>`. */
  adminToken?: string;
  /** What is forgotten on the sandbox clock, and when (core/retention.ts). */
  retention: RetentionPolicy;
}
