import type { Report, StormFinding } from '../model/report.js';

const SEC = 1_000_000_000n;
/** buckets at most: a week of evidence in 1-second buckets would be 604,800; the bucket widens instead */
const MAX_BUCKETS = 200_000;

export interface RateSeries {
  t0: bigint;
  /** bucket width, ns */
  width: bigint;
  /** adverts per second in each bucket: the busiest capture file's (two captures of one link see the same adverts) */
  perSecond: Float64Array;
}

/**
 * Adverts per second over [t0, t1) in `n` buckets, from the timeline's collapsed runs: a run's adverts are spread
 * evenly over its span, except the share an advert-storm finding of the same vrid places inside the storm — a burst
 * at the end of a long run is not averaged over the run. O(1) per run (difference array), whatever the span.
 */
export function advertRates(r: Report, t0: bigint, t1: bigint, n: number): RateSeries {
  const count = Math.max(1, Math.min(n, MAX_BUCKETS));
  let width = (t1 - t0) / BigInt(count);
  if (width <= 0n) width = 1n;
  const storms = r.findings.filter((f): f is StormFinding & { adverts: number } => f.kind === 'advert-storm' && f.vrid !== null && Boolean(f.end) && Boolean(f.adverts));
  const runs = r.timeline.filter((e) => e.kind === 'advert' || e.kind === 'advert-translated');
  // per file and storm: how many adverts of the runs overlapping it, so the storm's own count is shared out among them
  const overlapping = new Map<string, number>();
  const stormOf = (e: (typeof runs)[number]) => storms.find((s) => s.vrid === e.vrid && e.at <= s.end && (e.until ?? e.at) >= s.start);
  for (const e of runs) {
    const s = stormOf(e);
    if (s) overlapping.set(`${e.file}|${s.id}`, (overlapping.get(`${e.file}|${s.id}`) ?? 0) + (e.repeat ?? 1));
  }
  const files = new Map<string, { diff: Float64Array; direct: Float64Array }>();
  const w = Number(width);
  const at = (t: bigint) => Number(t - t0) / w;
  for (const e of runs) {
    let f = files.get(e.file);
    if (!f) files.set(e.file, (f = { diff: new Float64Array(count + 1), direct: new Float64Array(count) }));
    const total = e.repeat ?? 1;
    const s = stormOf(e);
    const inside = s ? total * Math.min(1, s.adverts / (overlapping.get(`${e.file}|${s.id}`) ?? total)) : 0;
    if (s && inside > 0) spread(f, at(e.at > s.start ? e.at : s.start), at((e.until ?? e.at) < s.end ? (e.until ?? e.at) : s.end), inside, count);
    spread(f, at(e.at), at(e.until ?? e.at), total - inside, count);
  }
  const perSecond = new Float64Array(count);
  const secs = w / 1e9;
  for (const f of files.values()) {
    let run = 0;
    for (let i = 0; i < count; i++) {
      run += f.diff[i];
      const v = (run + f.direct[i]) / secs;
      if (v > perSecond[i]) perSecond[i] = v;
    }
  }
  return { t0, width, perSecond };
}

/** Adds `c` adverts spread evenly over bucket positions [a, b] (fractional): partial buckets directly, whole ones by difference. */
function spread(f: { diff: Float64Array; direct: Float64Array }, a: number, b: number, c: number, n: number): void {
  if (c <= 0) return;
  const clamp = (x: number) => Math.min(n - 1e-9, Math.max(0, x));
  a = clamp(a);
  b = clamp(b);
  const i0 = Math.floor(a);
  const i1 = Math.floor(b);
  if (i0 === i1 || b - a < 1e-12) {
    f.direct[i0] += c;
    return;
  }
  const d = c / (b - a);
  f.direct[i0] += d * (i0 + 1 - a);
  f.direct[i1] += d * (b - i1);
  if (i1 > i0 + 1) {
    f.diff[i0 + 1] += d;
    f.diff[i1] -= d;
  }
}

/** The busiest second of adverts in the evidence, and when it began. */
export function peakAdvertRate(r: Report, t0: bigint, t1: bigint): { rate: number; at: bigint } | null {
  if (!r.timeline.some((e) => e.kind === 'advert' || e.kind === 'advert-translated')) return null;
  const n = Number((t1 - t0) / SEC) + 1;
  const s = advertRates(r, t0, t0 + BigInt(n) * SEC, n);
  let best = 0;
  for (let i = 1; i < s.perSecond.length; i++) if (s.perSecond[i] > s.perSecond[best]) best = i;
  return { rate: Math.round(s.perSecond[best] * 10) / 10, at: s.t0 + BigInt(best) * s.width };
}
