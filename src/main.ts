#!/usr/bin/env node
/** The only file that touches the process: config → createSandbox → listen → graceful shutdown. */
import { ConfigError, USAGE, loadConfig, wantsHelp } from './config.js';
import { createSandbox } from './sandbox.js';
import { listTenants } from './core/tenants.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig(argv, process.env);
  const sandbox = await createSandbox(config);
  const url = await sandbox.listen();
  const lines = [`card-sandbox listening on ${url} (store: ${config.db}, clock: ${sandbox.clock.mode})`, `  control plane: ${url}/__sandbox/health`];
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`card-sandbox failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
