import type { InputSummary, TimelineEntry } from './report.js';

/**
 * The last instant of the evidence: the latest timeline entry (or the end of its run), or the last record of a
 * capture or log. Snapshots and rulesets are points often taken later, while investigating: they do not extend it.
 */
export function evidenceEnd(timeline: readonly TimelineEntry[], inputs: readonly InputSummary[]): bigint | null {
  let end: bigint | null = null;
  for (const e of timeline) {
    const t = e.until ?? e.at;
    if (end === null || t > end) end = t;
  }
  for (const i of inputs) if (i.last !== null && (end === null || i.last > end) && i.kind !== 'iptables' && i.kind !== 'conntrack') end = i.last;
  return end;
}
