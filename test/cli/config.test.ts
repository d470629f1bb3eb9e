import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runCli } from '../helpers/process.js';

describe('configuration', () => {
  it('defaults to 127.0.0.1:4010 and ./data/sandbox.json', () => {
    expect(loadConfig([], {})).toMatchObject({ host: '127.0.0.1', port: 4010, db: './data/sandbox.json', strictContracts: false });
  });

  it('takes the environment over the defaults and flags over the environment', () => {
    const env = { PORT: '5000', HOST: '0.0.0.0', SANDBOX_DB: ':memory:', SANDBOX_STRICT_CONTRACTS: '1' };
    expect(loadConfig([], env)).toMatchObject({ port: 5000, host: '0.0.0.0', db: ':memory:', strictContracts: true });
    expect(loadConfig(['--port', '0', '--db', 'x.json'], env)).toMatchObject({ port: 0, db: 'x.json' });
  });

  it('takes the PostgreSQL pool size and timeouts from flags or the environment, with defaults of 10, 5 s and 2 s', () => {
    expect(loadConfig([], {})).toMatchObject({ dbPool: 10, dbStatementTimeoutMs: 5000, dbConnectTimeoutMs: 2000 });
    const env = { SANDBOX_DB_POOL: '4', SANDBOX_DB_STATEMENT_TIMEOUT: '750ms', SANDBOX_DB_CONNECT_TIMEOUT: '3s' };
    expect(loadConfig([], env)).toMatchObject({ dbPool: 4, dbStatementTimeoutMs: 750, dbConnectTimeoutMs: 3000 });
    expect(loadConfig(['--db-pool', '20', '--db-statement-timeout', '1m', '--db-connect-timeout', '250'], env)).toMatchObject({
      dbPool: 20,
      dbStatementTimeoutMs: 60_000,
      dbConnectTimeoutMs: 250,
    });
  });

  it.each([
    ['--db-pool', '0'],
    ['--db-pool', 'many'],
    ['--db-statement-timeout', 'off'],
    ['--db-statement-timeout', '0'],
    ['--db-connect-timeout', '2h'],
    ['--port', 'abc'],
    ['--port', '70000'],
    ['--durability', 'maybe'],
    ['--freeze', 'yesterday'],
  ])('rejects %s %s', (flag, value) => {
    expect(() => loadConfig([flag, value], {})).toThrow(/must be/);
  });

  it('prints the usage for --help and exits 0', async () => {
    const { output } = runCli(['--help']);
    const { code, stdout } = await output;
    expect(code).toBe(0);
    expect(stdout).toMatch(/--strict-contracts/);
  });

  it('exits 2 with the usage on an unknown flag', async () => {
    const { output } = runCli(['--bogus']);
    const { code, stderr } = await output;
    expect(code).toBe(2);
    expect(stderr).toMatch(/Usage: card-sandbox/);
  });
});
