import { describe, expect, it } from 'vitest';
import { applyBasisPoints, formatAmount, formatSigned, parseAmount, toDecimalNumber } from '../../src/core/money.js';

describe('money', () => {
  it.each([
    [100.0, 10000],
    [0.1, 10],
    [10.22, 1022],
    ['10.22', 1022],
    [0.07, 7],
    [1234567.89, 123456789],
  ])('parses %j into %i minor units exactly', (value, minor) => {
    expect(parseAmount(value, { field: 'amount' })).toBe(minor);
  });

  it.each([[0], [-1], [10.001], ['1e3'], ['abc'], [null], [Number.NaN], ['']])('refuses %j naming the field', (value) => {
    expect(() => parseAmount(value, { field: 'amount' })).toThrow(/amount/);
  });

  it('accepts 0 when zero is allowed, but never a negative', () => {
    expect(parseAmount(0, { field: 'x', positive: false })).toBe(0);
    expect(() => parseAmount(-0.01, { field: 'x', positive: false })).toThrow(/x must not be negative/);
  });

  it('formats without float drift', () => {
    expect([formatAmount(1022), formatSigned(1023), formatSigned(-10232), toDecimalNumber(30)]).toEqual(['10.22', '+10.23', '-102.32', 0.3]);
  });

  it('adds 0.1 + 0.2 to exactly 0.3 through minor units', () => {
    expect(toDecimalNumber(parseAmount(0.1, { field: 'a' }) + parseAmount(0.2, { field: 'b' }))).toBe(0.3);
  });

  it('rounds basis-point fees half up to the cent', () => {
    expect([applyBasisPoints(5000, 100), applyBasisPoints(150, 150), applyBasisPoints(100, 50), applyBasisPoints(99, 50)]).toEqual([50, 2, 1, 0]);
  });
});
