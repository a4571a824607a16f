import { findingSummary } from './finding-words.js';
import { entrySummary } from './timeline-words.js';
import { formatInstant } from '../model/instant.js';
import { escapeHtml } from './html-escape.js';
import { advertRates, type RateSeries } from './advert-rate.js';
import { findingSpan, type Finding, type Report, type RuleChange, type TimelineEntry } from '../model/report.js';

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
/** marker labels: one row each, as many rows as keep them apart (at most MAX_ROWS; the rest keep their line and title) */
const ROW = 13;
const MAX_ROWS = 8;
/** an 11 px sans-serif character is at most this wide on average (DejaVu Sans, the widest common default) */
const CHAR = 6.6;
/** the advert-rate strip's height */
const STRIP = 48;
const SPLIT = '#d32f2f';
const COLOURS: Record<string, string> = { MASTER: '#2e7d32', BACKUP: '#1565c0', FAULT: '#c62828' };
/** keepalived log events that mean "an advert was dropped" */
const DROPS = new Set(['invalid-checksum', 'ah-rejected', 'not-unicast-peer']);
const DROPPED = '#f9a825';

interface Lane {
  label: string;
  kind: 'host' | 'sender' | 'conntrack';
  shapes: string[];
  /** whose lane: a split brain's band covers its hosts' and its vrid's lanes */
  host?: string;
  vrid?: number;
}

interface Marker {
  at: bigint;
  label: string;
  cls: string;
  title: string;
}

const CONNTRACK = '#ef6c00';
const MARKER_COLOURS: Record<string, string> = {
  flip: '#d32f2f', revert: '#2e7d32', 'split-brain': '#b71c1c', 'advert-storm': '#e65100', rule: '#6a1b9a',
  'keepalived-start': '#00695c', 'keepalived-stop': '#37474f', priority: '#1565c0', resign: '#4e342e', 'conntrack-delete': CONNTRACK,
};

export function svgTimeline(r: Report, o: SvgOptions): string {
  const width = o.width ?? 1200;
  const times: bigint[] = [];
  for (const e of r.timeline) times.push(e.at, e.until ?? e.at);
  for (const s of r.states) times.push(s.start);
  for (const f of r.findings) for (const t of [findingSpan(f).first, findingSpan(f).last, f.kind === 'vrrp-source-translated' ? f.revertedAt : null]) if (typeof t === 'bigint') times.push(t);
  if (!times.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40" role="img" aria-label="timeline"><text x="10" y="24">No timed evidence.</text></svg>`;
  let t0 = times.reduce((a, b) => (a < b ? a : b));
  let t1 = times.reduce((a, b) => (a > b ? a : b));
  if (t1 === t0) t1 = t0 + 1_000_000_000n;
  const pad = (t1 - t0) / 50n;
  t0 -= pad;
  t1 += pad;
  const plot = width - LEFT - RIGHT;
  const x = (t: bigint): number => LEFT + Number(((t - t0) * 1_000_000n) / (t1 - t0)) / 1_000_000 * plot;
  const lanes: Lane[] = [];

  // keepalived states per host and instance
  const hostLanes = new Map<string, Lane>();
  for (const s of r.states) {
    const key = `${s.host} ${s.instance}`;
    let l = hostLanes.get(key);
    if (!l) hostLanes.set(key, (l = { label: `${s.host} · ${s.instance}`, kind: 'host', shapes: [], host: s.host }));
    const a = x(s.start);
    const b = x(s.end ?? t1 - pad);
    l.shapes.push(`<rect class="state ${escapeHtml(s.state)}" x="${a.toFixed(1)}" width="${Math.max(1, b - a).toFixed(1)}" height="14" fill="${COLOURS[s.state] ?? '#777'}"><title>${escapeHtml(`${s.host} ${s.instance} ${s.state} from ${fmt(s.start, o.tz)}`)}</title></rect>`);
  }
  // adverts a host's keepalived dropped (bad v3 checksum, AH, not a unicast peer): why it did not hear a master
  for (const e of r.timeline) {
    if (!DROPS.has(e.kind) || !e.host) continue;
    const a = x(e.at);
    const b = x(e.until ?? e.at);
    const mark = `<rect class="dropped" x="${a.toFixed(1)}" y="-4" width="${Math.max(2, b - a).toFixed(1)}" height="4" fill="${DROPPED}"><title>${escapeHtml(`dropped by ${e.host}: ${entrySummary(e)}${e.repeat && e.repeat > 1 ? ` ×${e.repeat}` : ''} (${e.file} ${e.locator})`)}</title></rect>`;
    for (const [key, l] of hostLanes) if (key.startsWith(`${e.host} `)) l.shapes.push(mark);
  }
  lanes.push(...hostLanes.values());

  // VRRP senders on the wire: adverts runs, merged per pixel
  const senders = new Map<string, { lane: Lane; runs: { a: number; b: number; n: number; translated: boolean; title: string }[] }>();
  for (const e of r.timeline) {
    if (e.kind !== 'advert' && e.kind !== 'advert-translated') continue;
    if (e.vrid === undefined || e.src === undefined) continue;
    const key = `${e.vrid} ${e.src}`;
    let s = senders.get(key);
    if (!s) senders.set(key, (s = { lane: { label: `vrid ${e.vrid} · ${e.src}${e.kind === 'advert-translated' ? ' (translated)' : ''}`, kind: 'sender', shapes: [], vrid: e.vrid }, runs: [] }));
    s.runs.push({ a: x(e.at), b: x(e.until ?? e.at), n: e.repeat ?? 1, translated: e.kind === 'advert-translated', title: `${entrySummary(e)} ×${e.repeat ?? 1} (${e.file} ${e.locator})` });
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
    const c = f.kind === 'vrrp-source-translated' ? f.conntrack : undefined;
    if (!c || f.kind !== 'vrrp-source-translated') continue;
    const start = c.createdAt ?? f.firstSeen ?? null;
    if (start === null) continue;
    // the entry's life, and each time it was made again after a deletion, as bars on one lane: solid while adverts
    // refresh it (up to the last translated advert), hatched while it sits idle and ageing
    const refreshedUntil = f.lastSeen ?? null;
    const lives = [
      // not destroyed: alive at least as long as a dump saw it and translated adverts kept it busy
      { from: start, to: c.destroyed?.at ?? later(c.lastSeen.at, f.lastSeen ?? null), title: `${c.file}:${c.line} ${c.text}` },
      ...(c.renewals ?? []).filter((n) => n.at !== null).map((n) => ({ from: n.at!, to: n.destroyed?.at ?? f.lastSeen ?? null, title: `${n.file}:${n.line} made again, translated the same way` })),
    ];
    lanes.push({
      label: `conntrack ${c.original.src} → ${c.reply.dst}`, kind: 'conntrack',
      shapes: lives.flatMap((l) => {
        const a = x(l.from);
        const b = x(l.to ?? t1 - pad);
        const busy = refreshedUntil === null ? b : Math.min(b, Math.max(a, x(refreshedUntil)));
        const out = [`<rect class="conntrack refreshed" x="${a.toFixed(1)}" width="${Math.max(2, busy - a).toFixed(1)}" height="14" fill="${CONNTRACK}"><title>${escapeHtml(`${l.title} — refreshed by adverts`)}</title></rect>`];
        if (b - busy >= 1) out.push(`<rect class="conntrack idle" x="${busy.toFixed(1)}" width="${(b - busy).toFixed(1)}" height="14" fill="url(#vf-hatch)" stroke="${CONNTRACK}" stroke-width="0.8"><title>${escapeHtml(`${l.title} — idle, ageing toward its timeout`)}</title></rect>`);
        return out;
      }),
    });
  }

  // adverts per second on the wire, log scale: a storm of 10,000/s does not look like 1/s
  const hasAdverts = r.timeline.some((e) => e.kind === 'advert' || e.kind === 'advert-translated');
  const strip = hasAdverts ? advertRates(r, t0, t1, Math.max(1, Math.floor(plot / 2))) : null;

  // markers: what people did and what keepalived did, each labelled with what it was
  const markers: Marker[] = [];
  for (const e of r.timeline) {
    const m = eventMarker(e);
    if (m) markers.push(m);
  }
  const title = (f: Finding) => findingSummary(f, { tz: o.tz, findings: r.findings });
  for (const f of r.findings) {
    if (f.kind === 'vrrp-source-translated' && f.firstSeen !== undefined) {
      markers.push({ at: f.firstSeen, label: `${f.id} flip → ${f.translatedSource}`, cls: 'flip', title: title(f) });
      if (f.revertedAt) markers.push({ at: f.revertedAt, label: `${f.id} revert`, cls: 'revert', title: title(f) });
    }
    if ((f.kind === 'split-brain' || f.kind === 'advert-storm') && f.start !== undefined) markers.push({ at: f.start, label: `${f.id} ${f.kind}`, cls: f.kind, title: title(f) });
  }
  markers.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  // the same kind of marker within two pixels (snapshots saved in one second on several hosts): one label
  for (let i = markers.length - 1; i > 0; i--) {
    const [a, b] = [markers[i - 1], markers[i]];
    if (a.cls === b.cls && Math.abs(x(a.at) - x(b.at)) < 2) {
      a.label = a.label === b.label ? a.label : `${a.label}; ${b.label}`;
      a.title = `${a.title}\n${b.title}`;
      markers.splice(i, 1);
    }
  }
  // labels in rows, each in the first row where it clears the one before: none prints over another
  const ends: number[] = [];
  const placed = markers.map((m) => {
    const px = x(m.at);
    const w = m.label.length * CHAR;
    const right = px + 3 + w <= width - 2;
    const [l, rgt] = right ? [px + 3, px + 3 + w] : [px - 3 - w, px - 3];
    let row = ends.findIndex((e) => e + 4 <= l);
    if (row < 0 && ends.length < MAX_ROWS) row = ends.push(-Infinity) - 1;
    if (row >= 0) ends[row] = rgt;
    return { m, px, row, right };
  });
  const TOP = 8 + Math.max(1, ends.length) * ROW + 6;

  const stripTop = TOP + lanes.length * LANE + 6;
  const height = stripTop + (strip ? STRIP + 8 : 0) + 52;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline of the incident" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11">`);
  out.push(`<defs><pattern id="vf-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff3e0"/><line x1="0" y1="0" x2="0" y2="6" stroke="${CONNTRACK}" stroke-width="2.5"/></pattern></defs>`);
  out.push(`<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`);
  // time axis: a tick step that gives about 8 labels whatever the span (40 s or 3 days)
  const span = Number(t1 - t0) / 1e9;
  const steps = [0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
  const step = steps.find((s) => span / s <= Math.max(4, Math.floor(plot / 110))) ?? 604800;
  const stepNs = BigInt(Math.round(step * 1e9));
  for (let t = ((t0 + stepNs - 1n) / stepNs) * stepNs; t <= t1; t += stepNs) {
    const px = x(t).toFixed(1);
    out.push(`<line class="grid" x1="${px}" x2="${px}" y1="${TOP - 6}" y2="${height - 44}" stroke="#ddd"/><text class="tick" x="${px}" y="${height - 30}" text-anchor="middle" fill="#555">${escapeHtml(fmt(t, o.tz, step))}</text>`);
  }
  // split brains: a band across every lane of the hosts and the vrid it affects, behind the lanes
  for (const f of r.findings) {
    if (f.kind !== 'split-brain' || f.start === undefined) continue;
    const a = x(f.start);
    const b = x(f.end ?? t1 - pad);
    const hit = lanes.map((l, i) => ({ l, i })).filter(({ l }) => (l.host !== undefined && (f.hosts ?? []).includes(l.host)) || (l.vrid !== undefined && l.vrid === f.vrid));
    const title = escapeHtml(`${f.id} split brain${f.vrid !== null ? ` on vrid ${f.vrid}` : ''}: ${(f.hosts ?? []).join(' and ')} master at once`);
    for (const { i } of hit) out.push(`<rect class="split-brain-band" x="${a.toFixed(1)}" y="${TOP + i * LANE - 4}" width="${Math.max(2, b - a).toFixed(1)}" height="${LANE}" fill="${SPLIT}" fill-opacity="0.16" stroke="${SPLIT}" stroke-opacity="0.5" stroke-dasharray="3 2"><title>${title}</title></rect>`);
  }
  lanes.forEach((l, i) => {
    const y = TOP + i * LANE;
    out.push(`<g class="lane lane-${l.kind}" transform="translate(0 ${y})"><text class="lane-label" x="6" y="11" fill="#222">${escapeHtml(l.label)}</text>${l.shapes.join('')}</g>`);
  });
  if (strip) out.push(rateStrip(strip, stripTop, x, plot));
  placed.forEach(({ m, px, row, right }) => {
    const colour = MARKER_COLOURS[m.cls] ?? '#6a1b9a';
    const label = row >= 0 ? `<text class="marker-label" x="${(right ? px + 3 : px - 3).toFixed(1)}" y="${8 + row * ROW + 10}" fill="${colour}" text-anchor="${right ? 'start' : 'end'}">${escapeHtml(m.label)}</text>` : '';
    out.push(`<g class="marker ${m.cls}"><title>${escapeHtml(m.title)}</title><line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${row >= 0 ? 8 + row * ROW + 12 : TOP - 8}" y2="${height - 44}" stroke="${colour}" stroke-dasharray="4 3"/>${label}</g>`);
  });
  // legend
  const ly = height - 8;
  const legend: [string, string][] = [['MASTER', COLOURS.MASTER], ['BACKUP', COLOURS.BACKUP], ['FAULT', COLOURS.FAULT], ['adverts', '#455a64'], ['translated adverts', '#d32f2f'], ['dropped by the host', DROPPED], ['conntrack entry refreshed', CONNTRACK], ['idle', 'url(#vf-hatch)'], ['split brain', SPLIT]];
  let lx = 6;
  out.push(`<g class="legend">`);
  for (const [name, colour] of legend) {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${colour}"/><text x="${lx + 14}" y="${ly}" fill="#333">${name}</text>`);
    lx += 22 + name.length * CHAR;
  }
  out.push('</g></svg>');
  return out.join('\n');
}

function fmt(t: bigint, tz: string, step = 1): string {
  const full = formatInstant(t, tz, 'tttt', step < 1 ? 1 : 0);
  return step >= 86400 ? full.slice(0, 10) : step >= 60 ? full.slice(5, 16) : full.slice(11);
}

/** The marker a timeline entry makes, if any: keepalived start/stop, priority changes, resignations, conntrack deletions, rule changes. */
function eventMarker(e: TimelineEntry): Marker | null {
  const who = e.host ? `${e.host}: ` : '';
  const title = `${entrySummary(e)} (${e.file} ${e.locator})`;
  switch (e.kind) {
    case 'start': return { at: e.at, label: `${who}keepalived start`, cls: 'keepalived-start', title };
    case 'stop': return { at: e.at, label: `${who}keepalived stop`, cls: 'keepalived-stop', title };
    case 'priority-changed': return { at: e.at, label: `${who}priority change`, cls: 'priority', title };
    case 'sent-priority-zero': return { at: e.at, label: `${who}resigned (prio 0)`, cls: 'resign', title };
    case 'conntrack-destroyed': return { at: e.at, label: `${who}conntrack entry destroyed`, cls: 'conntrack-delete', title };
    case 'ruleset': return e.change ? { at: e.at, label: `${who}${changeLabel(e.change)}`, cls: 'rule', title: `${title}${e.change.added.map((a) => `\n+ ${a.table} ${a.text}`).join('')}${e.change.removed.map((a) => `\n− ${a.table} ${a.text}`).join('')}` } : null;
  }
  return null;
}

/** "+ raw OUTPUT -p vrrp -j NOTRACK", "− filter INPUT -p vrrp -j DROP", "(+2 more)"; the first snapshot: its size. */
export function changeLabel(c: RuleChange): string {
  const one = (sign: string, r: RuleChange['added'][number]) => `${sign} ${r.table} ${r.text.replace(/^-A /, '')}`;
  if (c.first) return `rules saved (${c.rules})`;
  const all = [...c.added.map((r) => one('+', r)), ...c.removed.map((r) => one('−', r))];
  if (!all.length) return 'rules saved, unchanged';
  return all.length === 1 ? all[0] : `${all[0]} (+${all.length - 1} more)`;
}

/** The advert-rate strip: one bar per bucket, log scale with gridlines at 1, 10, 100, … adverts/s. */
function rateStrip(s: RateSeries, top: number, x: (t: bigint) => number, plot: number): string {
  const max = Math.max(10, ...s.perSecond);
  const decades = Math.ceil(Math.log10(max));
  const y = (v: number) => top + STRIP - (STRIP * Math.log10(1 + v)) / Math.log10(1 + 10 ** decades);
  const out = [`<g class="rate-strip"><text class="lane-label" x="6" y="${top + 12}" fill="#222">adverts/s (log scale)</text>`];
  // a gridline per decade while they stay 11 px apart, else every other one
  const every = (STRIP / decades) >= 11 ? 1 : 2;
  for (let d = 0; d <= decades; d += every) {
    const v = 10 ** d;
    out.push(`<line class="rate-grid" x1="${LEFT}" x2="${LEFT + plot}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/><text class="rate-tick" x="${LEFT - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${v >= 1000 ? `${v / 1000}k` : v}</text>`);
  }
  const step = plot / s.perSecond.length;
  let path = '';
  s.perSecond.forEach((v, i) => {
    if (v <= 0) return;
    const px = x(s.t0 + s.width * BigInt(i));
    path += `M${px.toFixed(1)} ${(top + STRIP).toFixed(1)}V${y(v).toFixed(1)}h${Math.max(1, step).toFixed(1)}V${(top + STRIP).toFixed(1)}z`;
  });
  const peak = s.perSecond.reduce((a, b) => Math.max(a, b), 0);
  out.push(`<path class="rate" d="${path}" fill="#455a64"><title>peak ${peak >= 100 ? Math.round(peak) : peak.toFixed(1)} adverts/s</title></path></g>`);
  return out.join('');
}

function later(a: bigint | null, b: bigint | null): bigint | null {
  return a === null ? b : b === null ? a : a > b ? a : b;
}
