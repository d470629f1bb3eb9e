import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRACTS_DIR } from '../../src/core/contracts.js';
import { SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { makeSandbox } from '../helpers/sandbox.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of contracts/ in which createCard's response also requires a field we never send. */
function driftedContracts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'contracts-'));
  dirs.push(dir);
  cpSync(CONTRACTS_DIR, dir, { recursive: true });
  const file = join(dir, 'onerway', 'createCard.response.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  schema.properties.data.required.push('cardNo');
  schema.properties.data.properties.cardNo = { type: 'string' };
  writeFileSync(file, JSON.stringify(schema));
  return dir;
}

describe('--strict-contracts', () => {
  it('turns a response that breaks its schema into the vendor internal error, naming the drift', async () => {
    const sb = await makeSandbox({ contractsDir: driftedContracts() });
    const res = await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    expect(res.body).toEqual({ respCode: '80000', respMsg: 'Internal service error', data: null });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/broke contract onerway\/createCard.response: \/data must have required property 'cardNo'/);
  });

  it('changes nothing when the response is refused', async () => {
    const sb = await makeSandbox({ contractsDir: driftedContracts() });
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    expect(sb.store.count('onerway.cards')).toBe(0);
  });

  it('lets the same drift through when strict mode is off', async () => {
    const sb = await makeSandbox({ contractsDir: driftedContracts(), strictContracts: false });
    const res = await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    expect(res.body.data).toEqual({ cardId: 100001 });
  });
});
