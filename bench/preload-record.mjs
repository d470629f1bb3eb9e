/**
 * The settled DEPOSIT operate record the benchmarks preload (bench/servers/sandbox.mjs for (c),
 * bench/startup-build.mjs for the start-up stores): the shape of src/vendors/onerway/model.ts
 * OperateRecord for the Onerway default tenant. Kept apart from lib.mjs so that a server child does not
 * load the load generator.
 */
export function preloadRecord(operateRecordId, cardId, at, i) {
  const amount = 1000 + (i % 100) * 100;
  const fee = Math.round(amount / 100);
  return {
    id: String(operateRecordId),
    tenantId: 'onerway-default',
    operateRecordId,
    cardId,
    clientRequestId: `PRELOAD_${String(i).padStart(8, '0')}`,
    type: 'DEPOSIT',
    status: 'S',
    remark: '',
    amount,
    currency: 'USD',
    operateTime: at,
    fees: [{ feeType: 'DEPOSIT', feeAmount: fee, feeCurrency: 'USD' }],
    history: [{ from: 'P', to: 'S', event: 'SUCCEED', at }],
  };
}
