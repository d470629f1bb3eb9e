#!/usr/bin/env node
/**
 * The only file that touches the process. `card-sandbox [serve] [options]` serves: config → createSandbox
 * → listen → graceful shutdown. `card-sandbox <command> …` is a client of a running sandbox (src/cli).
 */
import { isClientCommand, runClient } from './cli/index.js';
import { ConfigError, USAGE, checkListen, loadConfig, wantsHelp } from './config.js';

async function serve(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig(argv, process.env);
  checkListen(config.host, config.adminToken);
  // Loaded here, so that client commands start without the server's modules.
  const { createSandbox } = await import('./sandbox.js');
  const { listTenants } = await import('./core/tenants.js');
  const sandbox = await createSandbox(config);
  const url = await sandbox.listen();
  const lines = [
    `card-sandbox listening on ${url} (store: ${config.db}${config.db === ':memory:' ? '' : `, durability ${config.durability}`}, clock: ${sandbox.clock.mode})`,
    `  control plane: ${url}/__sandbox/health${config.adminToken ? '  (the rest of /__sandbox needs the admin token)' : ''}`,
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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (isClientCommand(argv)) {
    const io = { env: process.env, stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
    process.exitCode = await runClient(argv, io);
    return;
  }
  await serve(argv[0] === 'serve' ? argv.slice(1) : argv);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    const usage = error instanceof ConfigError && !error.showUsage ? '' : `\n${USAGE}`;
    process.stderr.write(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if ((error as { code?: string }).code === 'ESTOREINUSE') {
    process.stderr.write(`card-sandbox: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`card-sandbox failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
