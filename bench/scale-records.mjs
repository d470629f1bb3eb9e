/**
 * How bench/scale.mjs multiplies real deposits into a large store, for both stores alike: the records one
 * Onerway deposit leaves (its operate record, its ledger movement, its idempotency answer) as text
 * templates made from a real deposit's records, with tokens where a copy differs (ids, the
 * clientRequestId, the time, the idempotency fingerprint). The file store's builder fills them in
 * JavaScript (bench/scale-build-file.mjs), PostgreSQL with `replace()` over `generate_series`
 * (bench/scale.mjs), so a copy has the shape and size of the deposit it was made from. Counters and
 * balances move by what one real deposit moved them, times the copies; the merchant gets a top-up
 * movement so that deposits can go on afterwards.
 */
import { createHash } from 'node:crypto';

export const TENANT = 'onerway-default';
export const OPERATE_RECORDS = 'onerway.operateRecords';
export const ENTRIES = '_entries';
export const IDEMPOTENCY = '_idempotency';
export const COUNTERS = '_counters';
export const ACCOUNTS = '_accounts';
export const GLOBAL_TENANT = '_';
/** What a deposit adds, and nothing else may grow with deposits (checked). */
export const PER_DEPOSIT = [OPERATE_RECORDS, ENTRIES, IDEMPOTENCY];
const OPERATE_RECORD_SEQ = 'onerway.operateRecordId';
const MERCHANT = 'merchant:USD';

/** A copy's clientRequestId. */
export const bulkKey = (k) => `SCALE_BULK_${String(k).padStart(7, '0')}`;
export const BULK_KEY_SQL = (g) => `'SCALE_BULK_' || lpad((${g})::text, 7, '0')`;

/** Idempotency fingerprint as src/core/idempotency.ts makes it: the first 16 bytes of the SHA-256 of the canonical request, base64url. */
export const fingerprint = (prefix, key, suffix) =>
  createHash('sha256')
    .update(prefix + key + suffix)
    .digest()
    .subarray(0, 16)
    .toString('base64url');

const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Fills a template: `@@R@@` operate record id, `@@E@@` movement number, `@@K@@` clientRequestId, `@@T@@` time, `@@F@@` fingerprint. */
export function fill(template, { r, e, k, t, f }) {
  return template.replaceAll('@@R@@', String(r)).replaceAll('@@E@@', String(e)).replaceAll('@@K@@', k).replaceAll('@@T@@', String(t)).replaceAll('@@F@@', f);
}

const tokens = (text) => text.replaceAll('"@@RN@@"', '@@R@@').replaceAll('"@@TN@@"', '@@T@@');

/**
 * The plan for `copies` more deposits, from the store's state after one deposit (`s0`) and after `real`
 * more (`s1`); each state is { counters: {name: value}, accounts: {id: record}, counts: {collection: n},
 * last: { operate, entry, answer } (the last real deposit's records) }, `texts` the stored JSON text of
 * `last`'s records where the store keeps text (PostgreSQL), else their JSON.stringify. Throws when a
 * deposit's records are not what the templates know, so the bench never builds a store of another shape.
 */
export function plan({ s0, s1, real, copies, cardId, texts }) {
  for (const [collection, n] of Object.entries(s1.counts)) {
    const grew = n - (s0.counts[collection] ?? 0);
    const expected = PER_DEPOSIT.includes(collection) ? real : 0;
    if (grew !== expected)
      throw new Error(
        `${real} deposits added ${grew} records to ${collection} (expected ${expected}): a deposit's records changed; update bench/scale-records.mjs`,
      );
  }
  const step = {};
  for (const [name, value] of Object.entries(s1.counters)) {
    const d = (value - (s0.counters[name] ?? 0)) / real;
    if (!Number.isInteger(d)) throw new Error(`counter ${name} moved ${value - s0.counters[name]} over ${real} deposits`);
    if (d) step[name] = d;
  }
  if (step[OPERATE_RECORD_SEQ] !== 1 || step[ENTRIES] !== 1) throw new Error(`a deposit moved the counters by ${JSON.stringify(step)}`);

  const { operate, entry, answer } = s1.last;
  const opTpl = tokens(
    JSON.stringify({
      ...operate,
      id: '@@R@@',
      operateRecordId: '@@RN@@',
      clientRequestId: '@@K@@',
      operateTime: '@@TN@@',
      history: operate.history.map((h) => ({ ...h, at: '@@TN@@' })),
    }),
  );
  const entryTpl = tokens(JSON.stringify({ ...entry, id: 'ent_@@E@@', ref: 'operateRecord:@@R@@', at: '@@TN@@' }));
  const body = JSON.parse(answer.body);
  const bodyTpl = tokens(JSON.stringify({ ...body, data: { ...body.data, operateRecordId: '@@RN@@' } }));
  const answerTpl = tokens(JSON.stringify({ ...answer, id: '@@K@@', fingerprint: '@@F@@', body: bodyTpl, at: '@@TN@@' }));
  const canonical = JSON.stringify({ body: sortKeys({ clientRequestId: '@@K@@', cardId, amount: 10 }), operation: 'deposit' });
  const [fpPrefix, fpSuffix] = canonical.split('@@K@@');

  // The templates give back the real deposit's own records, byte for byte, and its fingerprint.
  const own = { r: operate.operateRecordId, e: Number(entry.id.slice(4)), k: operate.clientRequestId, t: operate.operateTime, f: answer.fingerprint };
  if (fingerprint(fpPrefix, own.k, fpSuffix) !== answer.fingerprint)
    throw new Error("the idempotency fingerprint's form changed; update bench/scale-records.mjs");
  for (const [name, tpl, text] of [
    ['operate record', opTpl, texts.operate],
    ['movement', entryTpl, texts.entry],
    ['answer', answerTpl, texts.answer],
  ]) {
    if (fill(tpl, own) !== text) throw new Error(`the ${name} template does not give back the real record:\n${fill(tpl, own)}\n${text}`);
  }
  if (entry.at !== operate.operateTime || answer.at !== operate.operateTime) throw new Error('a deposit stamped its records with different times');

  const r0 = s1.counters[OPERATE_RECORD_SEQ];
  const e0 = s1.counters[ENTRIES];
  // Copies stamped a millisecond apart, ending before the last real deposit (the answers stay inside their retention).
  const t0 = operate.operateTime - copies;
  const topUp = DEPOSIT_COST * (copies + 100_000);
  const counters = {};
  for (const [name, value] of Object.entries(s1.counters)) counters[name] = value + (step[name] ?? 0) * copies;
  counters[ENTRIES] += 1;
  const accounts = {};
  for (const [id, record] of Object.entries(s1.accounts)) {
    const before = s0.accounts[id];
    if (!before) continue; // opened by the real deposits (none today): left as they are
    const d = (record.balance - before.balance) / real;
    if (!Number.isInteger(d) || record.held !== before.held) throw new Error(`account ${id} moved ${record.balance - before.balance} over ${real} deposits`);
    const balance = record.balance + d * copies + (id === MERCHANT ? topUp : 0);
    if (balance !== record.balance) accounts[id] = { ...record, balance };
  }
  const topUpEntry = { id: `ent_${e0 + copies + 1}`, tenantId: TENANT, kind: 'bench-topup', ref: 'bench', at: operate.operateTime, legs: [[MERCHANT, topUp]] };
  return { copies, r0, e0, t0, fpPrefix, fpSuffix, opTpl, entryTpl, answerTpl, counters, accounts, topUpEntry, cardId };
}

/** 10.00 + 1 % fee, in minor units (bench/lib.mjs DEPOSIT_COST_MINOR; kept here so that the builder child loads no load generator). */
const DEPOSIT_COST = 1010;

/** Copy k's values (0 ≤ k < copies). */
export function copyValues(p, k) {
  const key = bulkKey(k);
  return { r: p.r0 + 1 + k, e: p.e0 + 1 + k, k: key, t: p.t0 + k, f: fingerprint(p.fpPrefix, key, p.fpSuffix) };
}

/** The answer a replay of copy k must give (its stored body). */
export const copyAnswer = (p, k) => JSON.parse(fill(p.answerTpl, copyValues(p, k))).body;
