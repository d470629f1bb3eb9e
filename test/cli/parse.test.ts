/** The CLI's argument parsers (in-process: no spawn needed). */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { duration, instant, jsonObject, latency, probability } from '../../src/cli/parse.js';

describe('card-sandbox argument parsers', () => {
  it.each([
    ['1700000000000', 1_700_000_000_000],
    ['2026-03-01', Date.UTC(2026, 2, 1)],
    ['2026-03-01T09:30:00Z', Date.UTC(2026, 2, 1, 9, 30)],
    ['2026-03-01T09:30Z', Date.UTC(2026, 2, 1, 9, 30)],
    ['2026-03-01T09:30:00.250+02:00', Date.UTC(2026, 2, 1, 7, 30, 0, 250)],
  ])('reads the instant %s', (text, ms) => {
    expect(instant(text)).toBe(ms);
  });

  it.each(['yesterday', '2026-03-01T09:30:00', '2026-13-01', '-5', '1.5'])('refuses the instant %j (a time needs its zone)', (text) => {
    expect(() => instant(text)).toThrow(InvalidArgumentError);
  });

  it.each([
    ['900', 900],
    ['250ms', 250],
    ['15s', 15_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
  ])('reads the duration %s', (text, ms) => {
    expect(duration(text)).toBe(ms);
  });

  it.each(['10 minutes', '1.5h', '-1s', 'h', ''])('refuses the duration %j', (text) => {
    expect(() => duration(text)).toThrow(InvalidArgumentError);
  });

  it('reads latencies, probabilities and JSON rules, refusing what is not one', () => {
    expect([latency('50'), latency('10,200')]).toEqual([50, [10, 200]]);
    expect(() => latency('10-200')).toThrow(InvalidArgumentError);
    expect([probability('0'), probability('0.25'), probability('1')]).toEqual([0, 0.25, 1]);
    for (const p of ['1.5', '-0.1', 'half', '']) expect(() => probability(p)).toThrow(InvalidArgumentError);
    expect(jsonObject('{"fault":"drop"}')).toEqual({ fault: 'drop' });
    for (const j of ['[1]', 'null', '{fault:drop}']) expect(() => jsonObject(j)).toThrow(InvalidArgumentError);
  });
});
