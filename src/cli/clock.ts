/** The sandbox clock, and card-network events. */
import { Argument, type Command } from 'commander';
import type { NetworkEventName, SimulateInput } from '../client/index.js';
import { show, type Io } from './client.js';
import { duration, instant } from './parse.js';
import type { VendorHelp } from './vendor-help.js';

export function registerClock(program: Command, io: Io): void {
  const clock = program.command('clock').description('the sandbox clock: the only "now" of records, timestamps, settlements and retries');
  clock
    .command('get')
    .description('now and the mode (system or frozen)')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.clock()));
  clock
    .command('set')
    .description('freeze the clock at an instant, running what falls due by then')
    .argument('<instant>', 'ms since the epoch, or ISO-8601 with its zone (2026-03-01T09:30:00Z)', instant)
    .action(async (now: number, _opts, cmd: Command) => show(io, cmd, (c) => c.setClock(now)));
  clock
    .command('advance')
    .description('move a frozen clock forward, running every job that falls due, in time order')
    .argument('<duration>', 'ms, or 15s, 10m, 2h, 1d, 1h30m', duration)
    .action(async (advanceMs: number, _opts, cmd: Command) => show(io, cmd, (c) => c.advanceClock(advanceMs)));
  clock
    .command('freeze')
    .description('freeze the clock where it is')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.freezeClock()));
  clock
    .command('system')
    .description('back to real time')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.systemClock()));
}

export function registerSimulate(program: Command, io: Io, help: VendorHelp): void {
  program
    .command('simulate')
    .description("a card-network event on any vendor's card; the answer is the transaction")
    .addArgument(new Argument('<event>', 'the network event').choices(['authorize', 'clear', 'reverse', 'refund']))
    .requiredOption('--vendor <slug>', `the card's vendor: ${help.vendor}`)
    .requiredOption('--card <id>', 'the card id, as its vendor shows it')
    .option('--amount <amount>', 'decimal amount (required but for reverse, where it defaults to the whole hold)')
    .option('--currency <code>', 'transaction currency')
    .option('--merchant-name <name>', 'the merchant the cardholder pays')
    .option('--mcc <mcc>', 'merchant category code')
    .option('--transaction-id <id>', 'the authorization or clearing this event refers to (default: the latest open one)')
    .option('--tenant <id>', 'the tenant that owns the card')
    .action(async (event: string, o: Record<string, string | undefined>, cmd: Command) => {
      const input: SimulateInput = {
        vendor: o.vendor!,
        cardId: o.card!,
        amount: o.amount,
        currency: o.currency,
        merchantName: o.merchantName,
        mcc: o.mcc,
        transactionId: o.transactionId,
        tenant: o.tenant,
      };
      await show(io, cmd, (c) => c.simulate(event as NetworkEventName, input));
    });
}
