/**
 * The help texts that name vendors are built from the registered vendors, the tests' fake one included:
 * the server's usage and the client commands that take a vendor or an outcome kind.
 */
import { describe, expect, it } from 'vitest';
import { runClient } from '../../src/cli/index.js';
import { usage } from '../../src/config.js';
import { REGISTERED } from '../helpers/registered.js';

async function help(argv: string[], vendors = REGISTERED): Promise<string> {
  let out = '';
  const io = { env: {}, stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t) };
  expect(await runClient(argv, io, vendors)).toBe(0);
  return out;
}

/** Help as a client command shows it when not asked for help: no vendor modules loaded. */
async function helpWithout(argv: string[]): Promise<string> {
  let out = '';
  const io = { env: {}, stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t) };
  expect(await runClient(argv, io)).toBe(0);
  return out;
}

describe('help texts name the registered vendors', () => {
  it('the server usage lists every registered vendor', () => {
    const text = usage(REGISTERED);
    for (const v of REGISTERED) expect(text).toContain(v.slug);
  });

  it.each([[['tenant', 'create', '--help']], [['timeline', '--help']], [['simulate', '--help']], [['outcome', '--help']]])(
    '%j names every registered vendor',
    async (argv) => {
      const text = await help(argv);
      for (const v of REGISTERED) expect(text).toContain(v.slug);
    },
  );

  it("outcome --help lists each vendor's outcome kinds", async () => {
    const text = (await help(['outcome', '--help'])).replace(/\s+/g, ' ');
    for (const v of REGISTERED.filter((m) => m.outcomes)) expect(text).toContain(`${Object.keys(v.outcomes!).join(', ')} (${v.slug})`);
  });

  it("without the vendors, points to the running sandbox's lists instead of naming any", async () => {
    const text = await helpWithout(['outcome', '--help']);
    expect(text).toMatch(/GET \/__sandbox\/health lists them/);
    for (const v of REGISTERED) expect(text).not.toContain(`${v.slug},`);
  });
});
