/** Fault rules: latency, forced errors, HTTP 5xx, 429, dropped connections, commit-then-drop. */
import { Argument, Option, type Command } from 'commander';
import type { FaultInput } from '../client/index.js';
import { show, type Io } from './client.js';
import { integer, jsonObject, latency, probability } from './parse.js';

const FAULTS = ['latency', 'error', 'http_error', 'rate_limit', 'drop', 'commit_then_drop'] as const;

export function registerFaults(program: Command, io: Io): void {
  const faults = program.command('faults').description('fault rules applied to vendor requests');
  faults
    .command('list')
    .description('the rules in force')
    .action(async (_opts, cmd: Command) => show(io, cmd, (c) => c.faults()));
  faults
    .command('add')
    .description('add a rule, as JSON and/or flags (flags win); the answer is the rule with its id')
    .argument('[rule-json]', 'the rule as a JSON object', jsonObject)
    .option('--vendor <slug>', 'only this vendor')
    .option('--operation <name>', 'only this operation')
    .option('--tenant <id>', 'only this tenant')
    .addOption(new Option('--fault <kind>', 'what happens').choices(FAULTS))
    .option('--times <n>', 'apply to the next n matching requests only', integer)
    .option('--probability <p>', 'apply to this share of matching requests (0 to 1)', probability)
    .option('--latency-ms <ms|min,max>', 'delay (latency): fixed, or random between min and max', latency)
    .option('--code <code>', 'the vendor error code to answer (error)')
    .option('--status <status>', 'the HTTP status, 500 to 599 (http_error)', integer)
    .option('--retry-after <s>', 'the Retry-After seconds (rate_limit)', integer)
    .action(async (rule: Record<string, unknown> | undefined, o: Record<string, unknown>, cmd: Command) => {
      const flags = {
        vendor: o.vendor,
        operation: o.operation,
        tenant: o.tenant,
        fault: o.fault,
        times: o.times,
        probability: o.probability,
        latencyMs: o.latencyMs,
        code: o.code,
        status: o.status,
        retryAfter: o.retryAfter,
      };
      const body = { ...rule, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
      // The sandbox checks the rule and names a bad field.
      await show(io, cmd, (c) => c.addFault(body as FaultInput));
    });
  faults
    .command('clear')
    .description('remove one rule, or all of them')
    .addArgument(new Argument('[id]', 'the rule to remove (default: all)'))
    .action(async (id: string | undefined, _opts, cmd: Command) => {
      await show(io, cmd, (c) => (id === undefined ? c.clearFaults() : c.removeFault(id)));
    });
}
