/**
 * Property-based fuzzing of every operation of every registered vendor (test/helpers/fuzz.ts): each
 * family of mutations (wrong types, depth, size, encodings, framing, credentials) on bodies drawn from
 * the operation's request contract, from a fixed seed, a few runs per operation. Every answer must be
 * the vendor's envelope, valid against its contract, with a diagnostic when it refuses: never an
 * internal error, a 5xx or the generic 404. A failure names the plan (fast-check shrinks it) and the
 * seed that brings it back. Over a real port with keep-alive: thousands of requests in a few seconds.
 *
 * FUZZ_RUNS=<n> (and FUZZ_SEED) adds the long run `npm run fuzz` uses: n plans per vendor, all
 * families mixed, with counts per vendor, family and outcome.
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describePlan, execute, FAMILIES, knownValues, planArbitrary, type Family } from '../helpers/fuzz.js';
import { makeSandbox } from '../helpers/sandbox.js';
import { REGISTERED } from '../helpers/registered.js';
import { credentialsOf } from '../helpers/vendor-requests.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const LONG_RUNS = Number(process.env.FUZZ_RUNS ?? 0);
// Every registered vendor, the tests' fake one included, with the contracts of all of them.
const first = await makeSandbox({ vendors: REGISTERED });
const VENDORS = first.runtime.vendors;
const contracts = first.runtime.contracts;
/** Each vendor's default-scenario records by field, the same in every fresh sandbox. */
const KNOWN = Object.fromEntries(VENDORS.map((v) => [v.slug, knownValues(first, credentialsOf(v).tenant)]));
/** Runs per vendor and family: twice the vendor's operations, at least 40. */
const runsFor = (operations: number) => Math.max(40, 2 * operations);

describe('fuzz: every registered vendor has test credentials', () => {
  it.each(VENDORS.map((v) => [v.slug, v] as const))('%s', (_slug, vendor) => {
    expect(credentialsOf(vendor).base).toMatch(/^\//);
  });
});

describe.each(VENDORS.map((v) => [v.slug, v] as const))('fuzz %s', (slug, vendor) => {
  it.each(FAMILIES.map((f) => [f]))('%s: every answer is the vendor envelope, valid against its contract', async (family: Family) => {
    const sb = await makeSandbox({ vendors: REGISTERED });
    const url = await sb.listen(0, '127.0.0.1');
    await fc.assert(
      fc.asyncProperty(planArbitrary(contracts, vendor, family, KNOWN[slug]), async (plan) => {
        const verdict = await execute(sb, url, contracts, vendor, plan);
        if (verdict.failure) throw new Error(`${slug} ${verdict.failure}\nplan: ${describePlan(plan)}`);
      }),
      { seed: SEED, numRuns: runsFor(vendor.operations.length) },
    );
  });
});

describe.runIf(LONG_RUNS > 0)('fuzz: long run', () => {
  it(`${LONG_RUNS} plans per vendor, every family`, { timeout: 0 }, async () => {
    const counts: Record<string, Record<string, number>> = {};
    const failures: string[] = [];
    for (const vendor of VENDORS) {
      const sb = await makeSandbox({ vendors: REGISTERED, journalEntries: 0 });
      const url = await sb.listen(0, '127.0.0.1');
      const plans = fc.sample(fc.oneof(...FAMILIES.map((f) => planArbitrary(contracts, vendor, f, KNOWN[vendor.slug]))), { seed: SEED, numRuns: LONG_RUNS });
      for (const plan of plans) {
        const verdict = await execute(sb, url, contracts, vendor, plan);
        for (const key of [`${vendor.slug} total`, `${vendor.slug} ${plan.family}`]) {
          const row = (counts[key] ??= {});
          row[verdict.outcome] = (row[verdict.outcome] ?? 0) + 1;
        }
        if (verdict.failure && failures.length < 200) failures.push(`${vendor.slug} ${verdict.failure}\n  plan: ${describePlan(plan)}`);
      }
      await sb.close();
    }
    const lines = Object.entries(counts).map(
      ([key, row]) =>
        `${key.padEnd(26)} ${Object.values(row)
          .reduce((a, b) => a + b, 0)
          .toString()
          .padStart(6)}  ${Object.entries(row)
          .sort()
          .map(([o, n]) => `${o}=${n}`)
          .join(' ')}`,
    );
    const report = [`fuzz seed ${SEED}, ${LONG_RUNS} plans per vendor`, ...lines, `failures: ${failures.length}`, ...failures].join('\n');
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, report);
    console.log(report);
    expect(failures).toEqual([]);
  });
});
