import type { Evidence } from '../../model/report.js';

export const SEC = 1_000_000_000n;
export const min = (a: bigint, b: bigint) => (a < b ? a : b);
export const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** Each cited line once, however many findings' paths led to it. */
export function dedupe(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const k = `${e.file}|${e.locator}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
