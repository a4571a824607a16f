import { transitionEvidence } from './cite.js';
import type { ClockOffset, Evidence } from '../model/report.js';
import type { LogDetector } from './states.js';
import type { WireDetector } from './wire.js';

const SEC = 1_000_000_000n;
const abs = (d: bigint) => (d < 0n ? -d : d);

/**
 * Each host's clock against the captures: keepalived logs "Entering MASTER STATE" as it sends its first advert, so
 * log time − that router's first advert on the wire (within ±5 s) is its clock offset. The median of all such pairs.
 */
export function clockOffsets(wire: WireDetector, logs: LogDetector): ClockOffset[] {
  const pairs = (window: bigint) => {
    const byHost = new Map<string, { d: bigint; ev: Evidence[] }[]>();
    for (const tr of logs.transitions) {
      if (tr.to !== 'MASTER' || !tr.host) continue;
      let best: { d: bigint; ev: Evidence } | undefined;
      for (const s of wire.starts) {
        if (s.router !== tr.host) continue;
        const d = tr.at - s.at;
        if (abs(d) <= window && (!best || abs(d) < abs(best.d))) best = { d, ev: s.evidence };
      }
      if (best) {
        const list = byHost.get(tr.host) ?? [];
        list.push({ d: best.d, ev: [transitionEvidence({ file: tr.file, line: tr.line, at: tr.at, to: 'MASTER' }), best.ev] });
        byHost.set(tr.host, list);
      }
    }
    return byHost;
  };
  const median = (l: { d: bigint; ev: Evidence[] }[]) => [...l].sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : 0))[Math.floor(l.length / 2)];
  const out: ClockOffset[] = [...pairs(5n * SEC)].map(([host, l]) => {
    const mid = median(l);
    return { host, offsetNs: mid.d, samples: l.length, applied: false, evidence: mid.ev };
  });
  // a log read in the wrong zone is off by whole quarter hours. For hosts with no close pair, every (MASTER entry,
  // advert start) pair within a day proposes an offset; the one that explains the most entries (±2 s) wins, and is
  // kept only when it has that quarter-hour shape (a random pair hours away proves nothing)
  const Q = 900n * SEC;
  const DAY = 26n * 3600n * SEC;
  const hosts = new Set(logs.transitions.filter((t) => t.to === 'MASTER' && t.host).map((t) => t.host!));
  for (const host of hosts) {
    if (out.some((c) => c.host === host)) continue;
    // at most 50 of each: every candidate is scored against all pairs (50⁴ steps at worst)
    const entries = logs.transitions.filter((t) => t.to === 'MASTER' && t.host === host).slice(0, 50);
    const starts = wire.starts.filter((w) => w.router === host).slice(0, 50);
    let best: { d: bigint; n: number; ev: Evidence[] } | undefined;
    for (const e of entries) {
      for (const w of starts) {
        const d = e.at - w.at;
        if (abs(d) > DAY || abs(d) <= 5n * SEC) continue;
        const rest = ((d % Q) + Q) % Q;
        if (rest > 5n * SEC && Q - rest > 5n * SEC) continue;
        const n = entries.filter((x) => starts.some((y) => abs(x.at - y.at - d) <= 2n * SEC)).length;
        if (!best || n > best.n || (n === best.n && abs(d) < abs(best.d))) {
          best = { d, n, ev: [transitionEvidence({ file: e.file, line: e.line, at: e.at, to: 'MASTER' }), w.evidence] };
        }
      }
    }
    if (!best) continue;
    out.push({ host, offsetNs: best.d, samples: best.n, applied: false, evidence: best.ev, suspect: 'wrong-zone' });
  }
  return out;
}
