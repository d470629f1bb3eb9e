/** What happened: the request journal (listed or followed), cards, one card's timeline, webhook deliveries. */
import type { Command } from 'commander';
import type { CardFilter, RequestFilter, WebhookFilter } from '../client/index.js';
import { clientOf, show, type Io } from './client.js';
import { integer } from './parse.js';
import type { VendorHelp } from './vendor-help.js';

export function registerObserve(program: Command, io: Io, help: VendorHelp): void {
  program
    .command('requests')
    .description('received vendor requests, newest first, bodies masked')
    .option('--vendor <slug>', 'one vendor')
    .option('--operation <name>', "one operation, by the vendor's name (createCard, topup, …)")
    .option('--tenant <id>', 'one tenant')
    .option('--code <code>', "one outcome: the vendor's code")
    .option('--status <status>', 'one HTTP status', integer)
    .option('--since <ms>', 'received at or after this sandbox time', integer)
    .option('--until <ms>', 'received at or before this sandbox time', integer)
    .option('--limit <n>', 'at most this many', integer)
    .option('--clear', 'empty the journal instead (DELETE /__sandbox/requests)')
    .option('--follow', 'print each new request as it arrives, one JSON line each, until interrupted (or --limit of them)')
    .action(async ({ clear, follow, ...o }: Record<string, string | number | undefined> & { clear?: boolean; follow?: boolean }, cmd: Command) => {
      if (clear) {
        await show(io, cmd, (c) => c.clearRequests());
        return;
      }
      const filter = {
        vendor: o.vendor,
        operation: o.operation,
        tenant: o.tenant,
        code: o.code,
        status: o.status,
        since: o.since,
        until: o.until,
        limit: o.limit,
      } as RequestFilter;
      if (follow) {
        // GET /__sandbox/requests/stream: the journal's live tail.
        for await (const entry of clientOf(cmd, io).tailRequests(filter)) io.stdout(`${JSON.stringify(entry)}\n`);
        return;
      }
      await show(io, cmd, (c) => c.requests(filter));
    });

  program
    .command('cards')
    .description("every vendor's cards with their state and balances, a page at a time")
    .option('--vendor <slug>', 'one vendor')
    .option('--tenant <id>', 'one tenant')
    .option('--q <text>', 'card id, last 4 digits or holder contains this (any case)')
    .option('--state <state>', 'one state, as the vendor names it')
    .option('--page <n>', 'the page, from 1', integer)
    .option('--size <n>', 'cards a page (1 to 500; 50 unless given)', integer)
    .action(async (o: CardFilter, cmd: Command) => {
      await show(io, cmd, (c) => c.cards(o));
    });

  program
    .command('card')
    .description('one card: its state, balances, pending records (for `outcome`) and the state changes its state allows')
    .argument('<vendor>', help.vendor)
    .argument('<cardId>', 'the card id, as its vendor shows it')
    .option('--tenant <id>', 'the tenant that owns the card')
    .action(async (vendor: string, cardId: string, o: { tenant?: string }, cmd: Command) => {
      await show(io, cmd, (c) => c.card(vendor, cardId, { tenant: o.tenant }));
    });

  program
    .command('timeline')
    .description("one card's life in order: requests, transitions, ledger movements, webhooks")
    .argument('<vendor>', help.vendor)
    .argument('<cardId>', 'the card id, as its vendor shows it')
    .option('--tenant <id>', 'the tenant that owns the card')
    .action(async (vendor: string, cardId: string, o: { tenant?: string }, cmd: Command) => {
      await show(io, cmd, (c) => c.timeline(vendor, cardId, { tenant: o.tenant }));
    });

  program
    .command('webhooks')
    .description('webhook deliveries, each with its attempts and next retry')
    .option('--vendor <slug>', 'one vendor')
    .option('--tenant <id>', 'one tenant')
    .option('--event <event>', 'one event')
    .option('--state <state>', 'one delivery state (delivered, pending, failed, no_url, …)')
    .option('--limit <n>', 'at most this many', integer)
    .option('--after <deliveryId>', 'those listed after this delivery (the next page)')
    .action(async (o: WebhookFilter, cmd: Command) => {
      await show(io, cmd, (c) => c.webhooks(o));
    })
    .command('resend')
    .description('send a delivered or failed delivery again, now, with the retries from the start')
    .argument('<deliveryId>', 'the delivery id (whd_…), as the webhook log shows it')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await show(io, cmd, (c) => c.resendWebhook(id));
    });
}
