#!/usr/bin/env node
/**
 * The only file that touches the process. `card-sandbox [serve] [options]` serves: config → createSandbox
 * → listen → graceful shutdown. `card-sandbox <command> …` is a client of a running sandbox (src/cli).
 */
import type { Logger } from 'pino';
import { isClientCommand, runClient } from './cli/index.js';
import { wantsClientHelp } from './cli/vendor-help.js';
import { ConfigError, checkListen, loadConfig, usage, wantsHelp } from './config.js';
import { isPostgresUrl, redactUrl } from './store-pg/pool.js';

/** The registered vendors, loaded only where they are needed (a client command starts without them). */
const registered = async () => (await import('./vendors/index.js')).VENDORS;

async function serve(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(usage(await registered()));
    return;
  }
  const config = loadConfig(argv, process.env);
  checkListen(config.host, config.adminToken);
  // Loaded here, so that client commands start without the server's modules.
  const { createSandbox } = await import('./sandbox.js');
  const { listTenants } = await import('./core/tenants.js');
  const sandbox = await createSandbox(config);
  lastResort(sandbox.runtime.log);
  const url = await sandbox.listen();
  const lines = [
    `card-sandbox listening on ${url} (store: ${isPostgresUrl(config.db) ? redactUrl(config.db) : config.db}${config.db === ':memory:' ? '' : `, durability ${config.durability}`}, clock: ${sandbox.clock.mode})`,
    `  control plane: ${url}/__sandbox/health${config.adminToken ? '  (the rest of /__sandbox needs the admin token)' : ''}`,
    `  API docs:      ${url}/__sandbox/docs  (OpenAPI, try it)`,
    `  dashboard:     ${url}/__sandbox/ui${config.adminToken ? '  (asks for the admin token)' : ''}`,
  ];
  for (const vendor of sandbox.runtime.vendors) {
    const tenants = listTenants(sandbox.store).filter((t) => t.vendor === vendor.slug);
    lines.push(...vendor.banner(url, tenants));
  }
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    sandbox.runtime.log.info({ signal }, 'shutting down');
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        sandbox.runtime.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The last resort, for a failure that escaped every handler (every promise is meant to be awaited or
 * handled, and the linter checks it; this is for the bug that slips through). A stray rejected promise
 * interrupted nothing: the request or job it belonged to has already answered or been logged, so it is
 * logged and the sandbox keeps serving, rather than exiting under its clients. An uncaught exception
 * unwound a stack part-way through some change, which may have left memory half-updated: it is logged
 * and the process exits 1. Nothing acknowledged is lost (a change is answered only once it is in the
 * log), and a restart reloads a consistent state from the files; a supervisor (Docker's restart policy,
 * CI) brings it back.
 */
function lastResort(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection (a bug: please report it); the sandbox keeps serving');
  });
  process.on('uncaughtException', (error, origin) => {
    log.fatal({ err: error, origin }, 'uncaught exception (a bug: please report it); exiting, a restart reloads the store');
    process.exit(1);
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (isClientCommand(argv)) {
    const io = { env: process.env, stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
    process.exitCode = await runClient(argv, io, wantsClientHelp(argv) ? await registered() : undefined);
    return;
  }
  await serve(argv[0] === 'serve' ? argv.slice(1) : argv);
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    const shown = error instanceof ConfigError && !error.showUsage ? '' : `\n${usage(await registered())}`;
    process.stderr.write(`${(error as Error).message}\n${shown}`);
    process.exit(2);
  }
  if ((error as { code?: string }).code === 'ESTOREINUSE' || (error as { code?: string }).code === 'ESTOREUNAVAILABLE') {
    process.stderr.write(`card-sandbox: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`card-sandbox failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
