/** What the sandbox holds: scenario packs, snapshots, reset, tenants. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError, clientOf, printJson, show, type Io } from './client.js';
import type { VendorHelp } from './vendor-help.js';

export function registerState(program: Command, io: Io, help: VendorHelp): void {
  const scenario = program.command('scenario').description('scenario packs (fixtures/scenarios/*.json)');
  scenario
    .command('list')
    .description('the packs the sandbox can load, with a line each')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.scenarios()));
  scenario
    .command('load')
    .description("load a named pack (replacing the state, or one tenant's), or a pack file such as a snapshot")
    .argument('[name]', 'a pack under fixtures/scenarios')
    .option('--tenant <id>', 'load into this tenant only')
    .option('--file <pack.json>', 'post this pack instead of naming one')
    .action(async (name: string | undefined, opts: { tenant?: string; file?: string }, cmd: Command) => {
      if ((name === undefined) === (opts.file === undefined)) throw new UsageError('give a scenario name or --file <pack.json>, not both');
      const client = clientOf(cmd, io);
      if (opts.file !== undefined) {
        if (opts.tenant !== undefined) throw new UsageError('--tenant goes with a named scenario; a pack file says what it holds');
        return printJson(io, await client.loadPack(packText(opts.file)));
      }
      printJson(io, await client.loadScenario(name!, { tenant: opts.tenant }));
    });

  program
    .command('snapshot')
    .description('the whole current state as a pack (scenario load --file restores it)')
    .option('--out <file>', 'write it to this file, byte for byte as the sandbox sent it')
    .action(async (opts: { out?: string }, cmd: Command) => {
      const text = await clientOf(cmd, io).snapshot();
      if (opts.out === undefined) return io.stdout(text.endsWith('\n') ? text : `${text}\n`);
      writeFileSync(opts.out, text);
      printJson(io, { status: 'ok', out: opts.out, bytes: Buffer.byteLength(text) });
    });

  program
    .command('reset')
    .description('restore a scenario (default: "default"), for everyone or one tenant')
    .option('--scenario <name>', 'the scenario to restore')
    .option('--tenant <id>', 'reset this tenant only')
    .action(async (opts: { scenario?: string; tenant?: string }, cmd: Command) => {
      await show(io, cmd, (c) => c.reset({ scenario: opts.scenario, tenant: opts.tenant }));
    });

  const tenant = program.command('tenant').description('merchants: one set of credentials at one vendor each');
  tenant
    .command('list')
    .description('every tenant with its vendor, credentials, webhook URL and settings')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.tenants()));
  tenant
    .command('create')
    .description('a fresh merchant with new credentials and its own data')
    .argument('<vendor>', help.vendor)
    .option('--scenario <name>', 'seed it from this scenario (default: "default")')
    .option('--name <name>', 'a display name')
    .action(async (vendor: string, opts: { scenario?: string; name?: string }, cmd: Command) => {
      await show(io, cmd, (c) => c.createTenant({ vendor, scenario: opts.scenario, name: opts.name }));
    });
  tenant
    .command('delete')
    .description('remove a tenant and all its data')
    .argument('<id>', 'the tenant id')
    .action(async (id: string, _opts, cmd: Command) => {
      await show(io, cmd, (c) => c.deleteTenant(id));
    });
}

/** The pack file's text, sent as is (so a snapshot goes back byte for byte) once it is known to be JSON. */
function packText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return text;
}
