import type { Evidence, StormFinding } from '../../model/report.js';
import type { FindingInputs } from '../findings.js';
import type { Interval } from '../wire.js';
import { max, min, SEC } from './util.js';

/** 5: advert rates far above one per interval per sender, on the wire and as "forcing new election" lines. */
export function storms(x: FindingInputs): StormFinding[] {
  const merged: Interval[] = [];
  for (const s of [...x.wire.storms].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    const hit = merged.find((m) => m.vrid === s.vrid && s.start <= m.end + SEC && m.start <= s.end + SEC);
    if (hit) {
      hit.start = min(hit.start, s.start);
      hit.end = max(hit.end, s.end);
      hit.peak = Math.max(hit.peak, s.peak);
      hit.adverts = Math.max(hit.adverts, s.adverts);
    } else merged.push({ ...s, senders: new Set(s.senders) });
  }
  const out: StormFinding[] = merged.map((s) => ({
    id: '', kind: 'advert-storm', severity: 'warning', vrid: s.vrid, router: null, start: s.start, end: s.end, peakRate: s.peak, adverts: s.adverts,
    hosts: [...s.senders].sort(),
    evidence: [{ ...s.first, role: { kind: 'storm-start' } }],
  }));
  for (const l of x.logs.storms) {
    const hit = out.find((f) => f.start <= l.end + SEC && l.start <= f.end + SEC);
    const ev: Evidence = { ...l.first, role: { kind: 'election-lines', host: l.host, lines: l.lines, peak: l.peak } };
    if (hit) {
      hit.evidence.push(ev);
      if (!hit.hosts.includes(l.host)) hit.hosts.push(l.host);
      continue;
    }
    out.push({
      id: '', kind: 'advert-storm', severity: 'warning', vrid: null, router: l.host, start: l.start, end: l.end, peakRate: l.peak, hosts: [l.host],
      evidence: [ev], lines: l.lines,
    });
  }
  return out;
}
