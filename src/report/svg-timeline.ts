import { formatInstant } from '../model/instant.js';
import { escapeHtml } from './html-escape.js';
import type { Report } from './model.js';

/**
 * The report's timeline drawn as SVG, by the project (no library, no script): one lane per host with its keepalived
 * state as coloured bands, one lane per VRRP sender seen on the wire (adverts as ticks while they fit, as rate bands
 * when they do not; translated ones in red), the conntrack entry's life as a bar, and rule changes, flips and
 * reverts as labelled markers. Intervals closer than a pixel are merged, so 3 days of adverts stay a few hundred
 * shapes.
 */
export interface SvgOptions {
  tz: string;
  width?: number;
}

const LANE = 26;
const LEFT = 230;
const RIGHT = 20;
/** room for three rows of marker labels above the lanes */
const TOP = 46;
const COLOURS: Record<string, string> = { MASTER: '#2e7d32', BACKUP: '#1565c0', FAULT: '#c62828' };
/** keepalived log events that mean "an advert was dropped" */
const DROPS = new Set(['invalid-checksum', 'ah-rejected', 'not-unicast-peer']);
const DROPPED = '#f9a825';

interface Lane {
  label: string;
  kind: 'host' | 'sender' | 'conntrack';
  shapes: string[];
}

export function svgTimeline(r: Report, o: SvgOptions): string {
  const width = o.width ?? 1200;
  const times: bigint[] = [];
  for (const e of r.timeline) times.push(e.at, e.until ?? e.at);
  for (const s of r.states) times.push(s.start);
  for (const f of r.findings) for (const t of [f.firstSeen, f.lastSeen, f.start, f.end, f.revertedAt]) if (typeof t === 'bigint') times.push(t);
  if (!times.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40" role="img" aria-label="timeline"><text x="10" y="24">No timed evidence.</text></svg>`;
  let t0 = times.reduce((a, b) => (a < b ? a : b));
  let t1 = times.reduce((a, b) => (a > b ? a : b));
  if (t1 === t0) t1 = t0 + 1_000_000_000n;
  const pad = (t1 - t0) / 50n;
  t0 -= pad;
  t1 += pad;
  const plot = width - LEFT - RIGHT;
  const x = (t: bigint) => LEFT + Number(((t - t0) * 1_000_000n) / (t1 - t0)) / 1_000_000 * plot;
  const lanes: Lane[] = [];

  // keepalived states per host and instance
  const hostLanes = new Map<string, Lane>();
  for (const s of r.states) {
    const key = `${s.host} ${s.instance}`;
    let l = hostLanes.get(key);
    if (!l) hostLanes.set(key, (l = { label: `${s.host} · ${s.instance}`, kind: 'host', shapes: [] }));
    const a = x(s.start);
    const b = x(s.end ?? t1 - pad);
    l.shapes.push(`<rect class="state ${escapeHtml(s.state)}" x="${a.toFixed(1)}" width="${Math.max(1, b - a).toFixed(1)}" height="14" fill="${COLOURS[s.state] ?? '#777'}"><title>${escapeHtml(`${s.host} ${s.instance} ${s.state} from ${fmt(s.start, o.tz)}`)}</title></rect>`);
  }
  // adverts a host's keepalived dropped (bad v3 checksum, AH, not a unicast peer): why it did not hear a master
  for (const e of r.timeline) {
    if (!DROPS.has(e.kind) || !e.host) continue;
    const a = x(e.at);
    const b = x(e.until ?? e.at);
    const mark = `<rect class="dropped" x="${a.toFixed(1)}" y="-4" width="${Math.max(2, b - a).toFixed(1)}" height="4" fill="${DROPPED}"><title>${escapeHtml(`dropped by ${e.host}: ${e.summary}${e.repeat && e.repeat > 1 ? ` ×${e.repeat}` : ''} (${e.file} ${e.locator})`)}</title></rect>`;
    for (const [key, l] of hostLanes) if (key.startsWith(`${e.host} `)) l.shapes.push(mark);
  }
  lanes.push(...hostLanes.values());

  // VRRP senders on the wire: adverts runs, merged per pixel
  const senders = new Map<string, { lane: Lane; runs: { a: number; b: number; n: number; translated: boolean; title: string }[] }>();
  for (const e of r.timeline) {
    if (e.kind !== 'advert' && e.kind !== 'advert-translated') continue;
    const m = /^VRRPv\d vrid (\d+) prio \S+ from (\S+)(.*)$/.exec(e.summary);
    if (!m) continue;
    const key = `${m[1]} ${m[2]}`;
    let s = senders.get(key);
    if (!s) senders.set(key, (s = { lane: { label: `vrid ${m[1]} · ${m[2]}${e.kind === 'advert-translated' ? ' (translated)' : ''}`, kind: 'sender', shapes: [] }, runs: [] }));
    s.runs.push({ a: x(e.at), b: x(e.until ?? e.at), n: e.repeat ?? 1, translated: e.kind === 'advert-translated', title: `${e.summary} ×${e.repeat ?? 1} (${e.file} ${e.locator})` });
  }
  for (const s of senders.values()) {
    s.runs.sort((p, q) => p.a - q.a);
    const merged: typeof s.runs = [];
    for (const run of s.runs) {
      const last = merged.at(-1);
      if (last && run.a <= last.b + 1 && run.translated === last.translated) {
        last.b = Math.max(last.b, run.b);
        last.n += run.n;
      } else merged.push({ ...run });
    }
    for (const run of merged) {
      const colour = run.translated ? '#d32f2f' : '#455a64';
      const w = run.b - run.a;
      const cls = run.translated ? 'advert translated' : 'advert';
      if (run.n > 1 && w / (run.n - 1) >= 3) {
        // room for every advert: ticks (adverts within a run are periodic)
        const ticks: string[] = [];
        for (let k = 0; k < run.n; k++) ticks.push(`M${(run.a + (w * k) / (run.n - 1)).toFixed(1)} 0v14`);
        s.lane.shapes.push(`<path class="${cls}" d="${ticks.join('')}" stroke="${colour}" stroke-width="1.5"><title>${escapeHtml(run.title)}</title></path>`);
      } else {
        // too dense: a rate band, darker with more adverts per pixel
        const rate = Math.min(1, 0.35 + run.n / Math.max(1, w) / 10);
        s.lane.shapes.push(`<rect class="${cls} band" x="${run.a.toFixed(1)}" width="${Math.max(1.5, w).toFixed(1)}" height="14" fill="${colour}" fill-opacity="${rate.toFixed(2)}"><title>${escapeHtml(`${run.n} adverts: ${run.title}`)}</title></rect>`);
      }
    }
    lanes.push(s.lane);
  }

  // the conntrack entries behind the findings
  for (const f of r.findings) {
    const c = f.conntrack;
    if (!c) continue;
    const start = c.createdAt ?? f.firstSeen ?? null;
    if (start === null) continue;
    // the entry's life, and each time it was made again after a deletion, as bars on one lane
    const lives = [
      { from: start, to: c.destroyed?.at ?? c.lastSeen.at ?? f.lastSeen ?? null, title: `${c.file}:${c.line} ${c.text}` },
      ...(c.renewals ?? []).filter((n) => n.at !== null).map((n) => ({ from: n.at!, to: n.destroyed?.at ?? f.lastSeen ?? null, title: `${n.file}:${n.line} made again, translated the same way` })),
    ];
    lanes.push({
      label: `conntrack ${c.original.src} → ${c.reply.dst}`, kind: 'conntrack',
      shapes: lives.map((l) => {
        const a = x(l.from);
        const b = x(l.to ?? t1 - pad);
        return `<rect class="conntrack" x="${a.toFixed(1)}" width="${Math.max(2, b - a).toFixed(1)}" height="14" fill="#ef6c00"><title>${escapeHtml(l.title)}</title></rect>`;
      }),
    });
  }

  // markers: rule changes, flips, reverts, split brains, storms
  const markers: { at: bigint; label: string; cls: string }[] = [];
  for (const e of r.timeline) if (e.kind === 'ruleset') markers.push({ at: e.at, label: `rules: ${e.file.split('/').pop()}`, cls: 'rule' });
  for (const f of r.findings) {
    if (f.kind === 'vrrp-source-translated' && f.firstSeen !== undefined) {
      markers.push({ at: f.firstSeen, label: `${f.id} flip → ${f.translatedSource}`, cls: 'flip' });
      if (f.revertedAt) markers.push({ at: f.revertedAt, label: `${f.id} revert`, cls: 'revert' });
    }
    if ((f.kind === 'split-brain' || f.kind === 'advert-storm') && f.start !== undefined) markers.push({ at: f.start, label: `${f.id} ${f.kind}`, cls: f.kind });
  }
  markers.sort((a, b) => (a.at < b.at ? -1 : 1));
  // rule snapshots saved in the same second on several hosts would print over each other: one label for them
  for (let i = markers.length - 1; i > 0; i--) {
    const [a, b] = [markers[i - 1], markers[i]];
    if (a.cls === b.cls && a.cls === 'rule' && Math.abs(x(a.at) - x(b.at)) < 2) {
      a.label = `${a.label}, ${b.label.replace(/^rules: /, '')}`;
      markers.splice(i, 1);
    }
  }

  const height = TOP + lanes.length * LANE + 52;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline of the incident" font-family="sans-serif" font-size="11">`);
  // time axis: a tick step that gives about 8 labels whatever the span (40 s or 3 days)
  const span = Number(t1 - t0) / 1e9;
  const steps = [0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
  const step = steps.find((s) => span / s <= 10) ?? 604800;
  const stepNs = BigInt(Math.round(step * 1e9));
  for (let t = ((t0 + stepNs - 1n) / stepNs) * stepNs; t <= t1; t += stepNs) {
    const px = x(t).toFixed(1);
    out.push(`<line class="grid" x1="${px}" x2="${px}" y1="${TOP - 6}" y2="${height - 44}" stroke="#ddd"/><text class="tick" x="${px}" y="${height - 30}" text-anchor="middle" fill="#555">${escapeHtml(fmt(t, o.tz, step))}</text>`);
  }
  lanes.forEach((l, i) => {
    const y = TOP + i * LANE;
    out.push(`<g class="lane lane-${l.kind}" transform="translate(0 ${y})"><text x="6" y="11" fill="#222">${escapeHtml(l.label)}</text>${l.shapes.join('')}</g>`);
  });
  markers.forEach((m, i) => {
    const px = x(m.at).toFixed(1);
    out.push(`<g class="marker ${m.cls}"><line x1="${px}" x2="${px}" y1="${TOP - 8}" y2="${height - 44}" stroke="${m.cls === 'flip' ? '#d32f2f' : m.cls === 'revert' ? '#2e7d32' : '#6a1b9a'}" stroke-dasharray="4 3"/><text x="${px}" y="${11 + (i % 3) * 12}" fill="#333" text-anchor="middle">${escapeHtml(m.label)}</text></g>`);
  });
  // legend
  const ly = height - 8;
  const legend: [string, string][] = [['MASTER', COLOURS.MASTER], ['BACKUP', COLOURS.BACKUP], ['FAULT', COLOURS.FAULT], ['adverts', '#455a64'], ['translated adverts', '#d32f2f'], ['dropped by the host', DROPPED], ['conntrack entry', '#ef6c00']];
  let lx = 6;
  out.push(`<g class="legend">`);
  for (const [name, colour] of legend) {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${colour}"/><text x="${lx + 14}" y="${ly}" fill="#333">${name}</text>`);
    lx += 22 + name.length * 6.5;
  }
  out.push('</g></svg>');
  return out.join('\n');
}

function fmt(t: bigint, tz: string, step = 1): string {
  const full = formatInstant(t, tz, 'tttt', step < 1 ? 1 : 0);
  return step >= 86400 ? full.slice(0, 10) : step >= 60 ? full.slice(5, 16) : full.slice(11);
}
