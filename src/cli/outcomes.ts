/** Outcomes on demand: the vendors' magic values, and forcing a pending record's outcome. */
import type { Command } from 'commander';
import { show, type Io } from './client.js';
import type { VendorHelp } from './vendor-help.js';

export function registerOutcomes(program: Command, io: Io, help: VendorHelp): void {
  program
    .command('magic-values')
    .description('per vendor, every request value that forces an outcome')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.magicValues()));

  program
    .command('outcome')
    .description('settle a pending record now with this outcome (GET /__sandbox/outcomes lists the kinds)')
    .argument('<vendor>', help.vendor)
    .argument('<kind>', help.kinds)
    .argument('<id>', "the record's id (operateRecordId, username, card_id, order_id, …)")
    .argument('<outcome>', 'success, failed, approved, rejected, … as the kind allows')
    .option('--tenant <id>', 'the tenant that owns the record, when several have that id')
    .action(async (vendor: string, kind: string, id: string, outcome: string, o: { tenant?: string }, cmd: Command) => {
      await show(io, cmd, (c) => c.forceOutcome({ vendor, kind, id, outcome, tenant: o.tenant }));
    });
}
