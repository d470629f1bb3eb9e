/**
 * `card-sandbox <command>`: a client of a running sandbox's control plane, one command per route group.
 * It prints the JSON answer and exits 0; a refusal goes to stderr with the server's message (exit 1); a
 * wrong command line exits 2. commander parses (subcommands, per-command help, usage errors); every
 * request goes through the control-plane client (src/client).
 */
import { Command, CommanderError, Option } from 'commander';
import { ControlPlaneError, SandboxUnreachable } from '../client/index.js';
import { DEFAULT_URL, UsageError, type Io } from './client.js';
import { registerClock, registerSimulate } from './clock.js';
import { registerFaults } from './faults.js';
import { registerObserve } from './observe.js';
import { registerOutcomes } from './outcomes.js';
import { registerState } from './state.js';
import { vendorHelp, type VendorSummary } from './vendor-help.js';
import { registerWait } from './wait.js';

/** The first words that make a client command; anything else starts the server. */
export const CLIENT_COMMANDS = [
  'scenario',
  'snapshot',
  'reset',
  'tenant',
  'clock',
  'simulate',
  'requests',
  'faults',
  'webhooks',
  'magic-values',
  'outcome',
  'timeline',
  'cards',
  'card',
  'wait',
  'help',
] as const;

export function isClientCommand(argv: readonly string[]): boolean {
  return (CLIENT_COMMANDS as readonly string[]).includes(argv[0] ?? '');
}

/** Runs one client command; resolves with the exit code. `vendors` (the registered ones) name the vendors in help texts. */
export async function runClient(argv: string[], io: Io, vendors?: readonly VendorSummary[]): Promise<number> {
  const help = vendorHelp(vendors);
  const program = new Command('card-sandbox')
    .description('Drives a running card-sandbox through its control plane (/__sandbox). Run `card-sandbox --help` for the server.')
    .addOption(new Option('--url <url>', `the sandbox's base URL [SANDBOX_URL] (default ${DEFAULT_URL})`))
    .addOption(new Option('--token <token>', 'the admin token, sent as "Authorization: Bearer <token>" [SANDBOX_ADMIN_TOKEN]'))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .helpCommand('help [command]', 'help for a command');
  registerState(program, io, help);
  registerClock(program, io);
  registerSimulate(program, io, help);
  registerObserve(program, io, help);
  registerFaults(program, io);
  registerOutcomes(program, io, help);
  registerWait(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.stderr(`card-sandbox: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ControlPlaneError || error instanceof SandboxUnreachable) {
      io.stderr(`card-sandbox: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
