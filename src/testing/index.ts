/**
 * card-sandbox/testing: the kit for a consumer's test suite (vitest, jest). startSandbox serves a sandbox
 * on a free loopback port with an in-memory store, for a global setup once per run or a beforeAll per
 * test file; the contract validators check a vendor's bodies against the sandbox's own JSON Schemas.
 */
import { SandboxClient } from '../client/index.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox.js';

export { SandboxClient, ControlPlaneError, SandboxUnreachable, type ClientOptions } from '../client/index.js';
export type * from '../client/types.js';
export { expectContract, validate, schemaFor, contractId, contractIds, ContractError, type ContractKind, type SchemaMatch } from './contracts.js';

export interface StartOptions extends SandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface StartedSandbox {
  /** The base URL, e.g. http://127.0.0.1:41234: point the code under test at it. */
  url: string;
  /** The control-plane client of this sandbox (reset, tenants, clock, faults, …). */
  client: SandboxClient;
  /** The sandbox itself, for in-process access (its clock, store, app). */
  sandbox: Sandbox;
  /** Stops it: drains requests and jobs, closes the store. */
  close(): Promise<void>;
}

/** A sandbox listening on `host:port` (default 127.0.0.1:0), with an in-memory store unless `db` is given. */
export async function startSandbox(options: StartOptions = {}): Promise<StartedSandbox> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const sandbox = await createSandbox({ db: ':memory:', logLevel: 'warn', ...rest });
  let url: string;
  try {
    url = await sandbox.listen(port, host);
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const client = new SandboxClient({ url, token: rest.adminToken });
  let closing: Promise<void> | undefined;
  return { url, client, sandbox, close: () => (closing ??= sandbox.close()) };
}
