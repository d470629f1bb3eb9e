/**
 * The soak's flatness rule, shared by bench/soak.mjs and the report: a metric is flat when its peak over
 * the last third of the run is at most 10 % above its peak over the middle third. Peaks, not single
 * samples: the log grows to the compaction threshold and drops back, and RSS follows the GC, so single
 * samples see a saw-tooth. The first third is start-up and warm-up.
 */
export const FLAT_WITHIN = 0.1;

/** `samples`: [{ t (s), [metric]: number }]; `seconds`: the soak's duration. */
export function flatness(samples, metric, seconds) {
  const values = (from, to) => samples.filter((s) => s.t > from && s.t <= to).map((s) => s[metric]);
  const middle = values(seconds / 3, (2 * seconds) / 3);
  const last = values((2 * seconds) / 3, Infinity);
  const middlePeak = Math.max(...middle);
  const lastPeak = Math.max(...last);
  const ratio = lastPeak / middlePeak;
  return {
    start: samples[0]?.[metric],
    middlePeak,
    lastPeak,
    ratio,
    flat: middle.length > 0 && last.length > 0 ? ratio <= 1 + FLAT_WITHIN : undefined,
    slopePerMin:
      slope(
        samples.filter((s) => s.t > seconds / 2),
        metric,
      ) * 60,
  };
}

/** Least-squares slope of `metric` against t, per second. */
function slope(points, metric) {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p[metric], 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p[metric] - mv);
    den += (p.t - mt) ** 2;
  }
  return num / den;
}
