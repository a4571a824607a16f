import type { Report, TimelineEntry } from '../model/report.js';

/** What one vrid's split brain cost: how long, and how the LAN was told about the virtual addresses meanwhile. */
export interface SplitImpact {
  vrid: number | null;
  /** two masters at once (union of that vrid's split brains), ns */
  splitNs: bigint;
  /** still split when the evidence ends */
  open: boolean;
  /** gratuitous ARPs / unsolicited NAs captured during it (a run counts its repeats) */
  announcements: number;
  /** times a virtual address's MAC changed during it (the first announcement counts when it differs from the MAC before) */
  vipMacChanges: number;
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Per vrid: the split brain's duration, and the announcements and MAC changes it caused on the wire. */
export function splitImpact(r: Report, end: bigint | null): SplitImpact[] {
  const byVrid = new Map<number | null, [bigint, bigint][]>();
  const open = new Set<number | null>();
  for (const f of r.findings) {
    if (f.kind !== 'split-brain' || f.start === undefined) continue;
    if (f.end === null || f.end === undefined) open.add(f.vrid);
    byVrid.set(f.vrid, [...(byVrid.get(f.vrid) ?? []), [f.start, f.end ?? end ?? f.start]]);
  }
  const announced = r.timeline.filter((e) => e.address && e.mac).sort((a, b) => cmp(a.at, b.at));
  return [...byVrid].map(([vrid, spans]) => {
    const merged = union(spans);
    const inSplit = (e: TimelineEntry) => merged.some(([a, b]) => e.at >= a && e.at <= b);
    // each capture counts on its own (two captures of one LAN see the same announcements): the one that saw most
    const perFile = new Map<string, { announcements: number; changes: number; lastMac: Map<string, string> }>();
    for (const e of announced) {
      const c = perFile.get(e.file) ?? { announcements: 0, changes: 0, lastMac: new Map<string, string>() };
      perFile.set(e.file, c);
      const before = c.lastMac.get(e.address!);
      if (inSplit(e)) {
        c.announcements += e.repeat ?? 1;
        if (before !== undefined && before !== e.mac) c.changes++;
      }
      c.lastMac.set(e.address!, e.mac!);
    }
    const most = (k: 'announcements' | 'changes') => [...perFile.values()].reduce((n, c) => Math.max(n, c[k]), 0);
    return { vrid, splitNs: merged.reduce((n, [a, b]) => n + (b - a), 0n), open: open.has(vrid), announcements: most('announcements'), vipMacChanges: most('changes') };
  }).sort((a, b) => (a.vrid ?? -1) - (b.vrid ?? -1));
}

function union(spans: [bigint, bigint][]): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const s of [...spans].sort((a, b) => cmp(a[0], b[0]))) {
    const last = out.at(-1);
    if (last && s[0] <= last[1]) last[1] = s[1] > last[1] ? s[1] : last[1];
    else out.push([s[0], s[1]]);
  }
  return out;
}
