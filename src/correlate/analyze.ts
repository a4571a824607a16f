import { readWhole, statInput } from '../sources/archive/members.js';
import { asForensicError, locatorOf, type Problem } from '../errors.js';
import { prepareZone, wallClockToEpochMs } from '../model/instant.js';
import { groupFiles, type Group } from './incidents.js';
import type { InputKind } from '../sources/detect.js';
import type { CaptureRecord } from '../model/records.js';
import { SCHEMA, type Evidence, type InputSummary, type Report, type TimelineEntry } from '../model/report.js';
import { redact } from '../model/redact.js';
import { readCapture } from '../sources/capture/reader.js';
import { readTcpdumpText, TCPDUMP_TEXT } from '../sources/tcpdump-text/reader.js';
import { generatedOnToNs, natRules, parseRuleset } from '../sources/config/firewall.js';
import { readKeepalivedConf } from '../sources/config/keepalived-conf.js';
import { PROTO } from '../sources/conntrack/entry.js';
import { parseDateLine, timeFromName } from '../sources/conntrack/dump-time.js';
import { ConntrackHistory } from '../sources/conntrack/history.js';
import { readConntrack, VRRP_OR_AH, VRRP_OR_AH_LINE } from '../sources/conntrack/reader.js';
import { expandPaths } from '../sources/input.js';
import { rotatedYears, orderRotated, readSyslog, rotationKey, type YearResolver } from '../sources/syslog/reader.js';
import type { KaEvent } from '../model/keepalived.js';
import { stateBands } from './bands.js';
import { clockOffsets } from './clocks.js';
import { coverageOf } from './coverage.js';
import { buildFindings, type RuleSnapshot } from './findings.js';
import { foldedLane, LogCopies, logLineOf, mayHoldCopies } from './copies.js';
import { mergeByTime, type MergeStats } from './merge.js';
import { folderTable } from './hosts.js';
import { planInputs, type PlannedInput } from './plan.js';
import { rulesetChange } from './ruleset-diff.js';
import { LogDetector } from './states.js';
import { TimelineCollector } from './timeline.js';
import { Topology } from './topology.js';
import { WireDetector } from './wire.js';
import { evidenceEnd } from '../model/evidence-end.js';
import type { SideRun } from '../sources/syslog/kernel-lines.js';
import { conntrackStory, linkQuestions } from './conntrack-story.js';
import { rulesetSummary } from './story-lines.js';
import { deafTakeovers, linkDeaf } from './deaf-takeover.js';
import { hostEndStates } from './end-state.js';
import { exhaustionFindings, linkExhaustion, sideTimeline } from './exhaustion.js';

export interface AnalyzeOptions {
  /** the display zone: printed times and the words of findings */
  tz: string;
  /** the zone times written without one are read in (default UTC) */
  inputTz?: string;
  /** per host, instead of inputTz */
  hostTz?: Map<string, string>;
  year?: number;
  hostFlags?: [string, string][];
  genericTimeout?: number;
  /** apply the estimated clock offsets to the hosts' log times */
  alignClocks?: boolean;
  /** --at: dump time for conntrack files that do not state one */
  at?: bigint;
  showSecrets?: boolean;
  /** the report is one of batch's: its advice for mixed incidents must not be "run batch" */
  inBatch?: boolean;
}

type Item =
  | { at: bigint; host: string | null; rec: CaptureRecord; ev?: undefined }
  | { at: bigint; host: string | null; ev: KaEvent; rec?: undefined };

/**
 * The whole analysis: plan the inputs, read the small ones (configs, rulesets, conntrack) into the topology, stream
 * the large ones (captures and logs) merged by time through the detectors, and build the report model.
 */
export async function analyze(paths: string[], opts: AnalyzeOptions): Promise<Report> {
  for (const z of [opts.tz, opts.inputTz ?? 'UTC', ...(opts.hostTz?.values() ?? [])]) await prepareZone(z);
  const walk = await expandPaths(paths);
  const plan = await planInputs(walk, { hostFlags: opts.hostFlags ?? [] });
  const first = await analyzePlan(plan, opts, new Map());
  let report = first;
  if (opts.alignClocks && first.clocks.some((c) => c.offsetNs !== 0n)) {
    const offsets = new Map(first.clocks.map((c) => [c.host, c.offsetNs]));
    report = await analyzePlan(plan, opts, offsets);
    report.clocks = first.clocks.map((c) => ({ ...c, applied: true }));
  }
  // empty files in the folders: one count, not one input line each (an archive can hold 100,000 of them)
  if (walk.emptyFiles) report.emptyFiles = walk.emptyFiles;
  return report;
}

async function analyzePlan(plan: PlannedInput[], opts: AnalyzeOptions, offsets: Map<string, bigint>): Promise<Report> {
  const topo = new Topology();
  const timeline = new TimelineCollector();
  const summaries = new Map<PlannedInput, InputSummary>();
  const secrets = new Set<string>();
  const sum = (p: PlannedInput, kind: InputSummary['kind'], format: string | null): InputSummary => {
    const s: InputSummary = { path: p.path, kind, format, host: p.host, records: 0, first: null, last: null, problems: [] };
    if (p.hostFrom) s.hostFrom = p.hostFrom;
    if (p.hostVia) s.hostVia = p.hostVia;
    if (p.hostWeak) s.hostWeak = true;
    summaries.set(p, s);
    return s;
  };
  const problems = (s: InputSummary, ps: Problem[], err?: Error) => {
    for (const p of ps.slice(0, 50)) s.problems.push({ locator: locatorOf(p) ?? '', message: p.message, severity: p.severity, code: p.code });
    if (ps.length > 50) s.problems.push({ locator: '', message: `${ps.length - 50} more warnings`, severity: 'warning', code: ps[50].code });
    if (err) {
      const fe = asForensicError(err, s.path);
      s.problems.push({ locator: locatorOf(fe) ?? '', message: fe.message, severity: 'error', code: fe.code });
    }
  };
  // zone-less times are read in the input zone (per host when given), never in the display zone
  const zoneOf = (host: string | null) => (host && opts.hostTz?.get(host)) || opts.inputTz || 'UTC';
  const readers = new Map<string, ReturnType<typeof wallClockToEpochMs>>();
  const clockOf = (host: string | null) => {
    const z = zoneOf(host);
    if (!readers.has(z)) readers.set(z, wallClockToEpochMs(z));
    return readers.get(z)!;
  };
  const seen = (s: InputSummary, at: bigint) => {
    if (s.first === null || at < s.first) s.first = at;
    if (s.last === null || at > s.last) s.last = at;
  };

  for (const p of plan.filter((x) => x.skip)) {
    const s = sum(p, p.kind === 'firewall' ? 'iptables' : p.kind, p.format ?? null);
    s.notes = [p.skip!];
  }
  const live = plan.filter((x) => !x.skip);
  // a file named on the command line that is no known kind of evidence: an error, so the exit status says so
  for (const p of live.filter((x) => x.kind === 'unknown')) {
    sum(p, 'unknown', null).problems.push({ locator: '', message: `not evidence this tool reads (${p.reason})`, severity: 'error', code: 'E_UNKNOWN_FORMAT' });
  }

  // 1. keepalived.conf: routers, their addresses, vrids, secrets, sync groups
  const syncGroups = new Map<string, string[]>();
  for (const p of live.filter((x) => x.kind === 'keepalived-conf')) {
    const s = sum(p, 'keepalived-conf', 'keepalived.conf');
    try {
      // read once, by the plan (again here only to report why it failed there)
      const conf = p.conf ?? await readKeepalivedConf(p.path);
      // the host is the plan's decision (hosts.ts): a router_id it refused (keepalived's default LVS_DEVEL, one shared
      // by two folders' confs) or a generic folder name is no host; such a router is known by its address, or unnamed
      const host = p.host ?? p.confAddresses?.[0] ?? `unnamed router (${p.path})`;
      topo.addConf(host, conf);
      for (const g of conf.syncGroups) syncGroups.set(`${host}|${g.name}`, g.members);
      for (const x of conf.secrets) secrets.add(x);
      s.records = conf.instances.length;
      for (const w of conf.warnings) s.problems.push({ locator: `line ${w.line}`, message: w.message, severity: 'warning', code: 'E_UNKNOWN_FORMAT' });
    } catch (err) {
      problems(s, [], err as Error);
    }
  }
  const hostFor = (p: PlannedInput) => summaries.get(p)?.host ?? p.host;

  // 2. saved rulesets: SNAT targets, and which rule was in force when
  const rules: RuleSnapshot[] = [];
  const saved = new Map<string, TimelineEntry>();
  for (const p of live.filter((x) => x.kind === 'firewall')) {
    const s = sum(p, 'iptables', p.format ?? null);
    const toEpochMs = clockOf(p.host);
    try {
      // a file, or a member of an archive read in place (whose time is its bundle's collection time)
      const st = await statInput(p.path);
      const text = (await readWhole(p.path, 64 * 1024 * 1024)).toString('utf8');
      const rs = parseRuleset(text);
      if (!rs) throw new Error('no ruleset found');
      s.records = rs.rules.length;
      // when it was saved: iptables-save's own header, a `date` line an operator put first, a time in the file's name,
      // and only then its mtime (weak: copying or a git checkout changes it)
      const gen = rs.generatedOn ? generatedOnToNs(rs.generatedOn, toEpochMs) : null;
      if (gen !== null) s.zone = zoneOf(p.host);
      const firstLine = text.split('\n', 1)[0];
      const dated = firstLine.startsWith('#') ? null : parseDateLine(firstLine);
      const named = gen === null && dated === null ? timeFromName(p.path) : null;
      const at = gen ?? dated ?? named ?? BigInt(Math.floor(st.mtimeMs)) * 1_000_000n;
      if (gen === null) s.notes = [{ kind: 'saved-at', from: dated !== null ? 'first-line' : named !== null ? 'file-name' : 'mtime' }];
      s.first = s.last = at;
      rules.push({ host: p.host, file: p.path, at, rules: rs });
      for (const r of rs.rules) {
        if (r.target === 'SNAT' && r.toSource && p.host) {
          const addr = r.toSource.split(/[-:]/)[0];
          topo.addTranslated(addr, { router: p.host, learned: { how: 'firewall', evidence: { file: p.path, locator: `line ${r.line}`, at, text: r.text } } });
        }
      }
      saved.set(p.path, timeline.add({ at, host: p.host, source: 'config', kind: 'ruleset', summary: `ruleset saved: ${rs.rules.length} rules${natRules(rs).map((r) => `; ${r.text}`).join('')}`, file: p.path, locator: 'line 1' }));
    } catch (err) {
      problems(s, [], err as Error);
    }
  }
  // snapshots in time order; equal or unknown times keep the order of their names (iptables-save.1, .2, …)
  rules.sort((a, b) => (a.at === b.at ? a.file.localeCompare(b.file, undefined, { numeric: true }) : a.at < b.at ? -1 : 1));
  const previous = new Map<string | null, RuleSnapshot>();
  for (const r of rules) {
    const e = saved.get(r.file);
    if (e) {
      e.change = rulesetChange(previous.get(r.host)?.rules ?? null, r.rules);
      e.summary = rulesetSummary(r.rules.rules.length, natRules(r.rules).map((x) => x.text), e.change);
    }
    previous.set(r.host, r);
  }

  // 3. conntrack: only VRRP and AH entries are kept (everything else is counted by the reader)
  const ctime = clockOf(null);
  const history = new ConntrackHistory({ genericTimeout: opts.genericTimeout, ctimeToEpochMs: (y, mo, d, H, M, S) => ctime({ year: y, month: mo, day: d, hour: H, minute: M, second: S }) });
  const texts = new Map<string, string>();
  const flowHost = new Map<string, string | null>();
  for (const p of live.filter((x) => x.kind === 'conntrack')) {
    const it = readConntrack(p.path, { at: opts.at, prefilter: VRRP_OR_AH_LINE, protocols: VRRP_OR_AH });
    let step = await it.next();
    const s = sum(p, 'conntrack', null);
    while (!step.done) {
      for (const e of step.value) {
        if (e.protoNum !== PROTO.VRRP && e.protoNum !== PROTO.AH) continue;
        s.records++;
        if (e.observedAt !== undefined) seen(s, e.observedAt);
        history.add(e);
        texts.set(`${e.file}:${e.line}`, e.text);
        flowHost.set(e.file, p.host);
      }
      step = await it.next();
    }
    s.format = step.value.format;
    const dump = step.value.dumpTime;
    if (s.records === 0 && dump && !step.value.format?.startsWith('conntrack -E')) {
      // a snapshot without VRRP is evidence too: no VRRP flow was tracked on this host at that moment
      seen(s, dump.ns);
      s.notes = [{ kind: 'snapshot-without-vrrp', entries: step.value.entries }];
    }
    problems(s, step.value.problems, step.value.error);
  }
  const flows = history.flows().map((f) => ({ ...f, host: flowHost.get(f.first.file) ?? null, text: texts.get(`${(f.born ?? f.first).file}:${(f.born ?? f.first).line}`) }));
  for (const f of flows) {
    const T = f.nat.translatedSource;
    if (!T || f.nat.kind === 'dnat' || f.nat.kind === 'none') continue;
    const cite = f.born ?? f.first;
    const ev: Evidence = { file: cite.file, locator: `line ${cite.line}`, at: f.born?.at ?? f.first.at ?? null, text: texts.get(`${cite.file}:${cite.line}`) ?? '' };
    if (f.host) topo.addAddress(f.host, f.orig.src, { how: 'conntrack', evidence: ev });
    topo.addTranslated(T, { original: f.orig.src, router: f.host ?? topo.ownerOf(f.orig.src), learned: { how: 'conntrack', evidence: ev } });
    const life = `conntrack ${f.protoName} ${f.orig.src} > ${f.orig.dst} leaves as ${T}`;
    if (f.born) timeline.add({ at: f.born.at, host: f.host, source: 'conntrack', kind: 'conntrack-born', summary: `${life}: entry created (${f.born.from})`, file: f.born.file, locator: `line ${f.born.line}` });
    if (f.destroyed?.at !== undefined) timeline.add({ at: f.destroyed.at, host: f.host, source: 'conntrack', kind: 'conntrack-destroyed', summary: `${life}: entry destroyed${f.destroyed.byUser ? ` by ${f.destroyed.byUser}` : ''}`, file: f.destroyed.file, locator: `line ${f.destroyed.line}` });
  }

  // 4. captures and logs, merged by time through the detectors
  const vridOf = (host: string, instance: string) => topo.routers.get(host)?.instances.find((i) => i.name === instance)?.vrid ?? null;
  const wire = new WireDetector(topo, timeline);
  const logs = new LogDetector(topo, timeline, vridOf, (host, group) => syncGroups.get(`${host}|${group}`) ?? []);
  const captures = live.filter((x) => x.kind === 'capture');
  const near = captures.map((c) => c.firstPacket).filter((t): t is bigint => t !== undefined).sort()[0];
  const syslogs = orderRotated(live.filter((x) => x.kind === 'syslog').map((x) => x.path)).map((pp) => live.find((x) => x.path === pp && x.kind === 'syslog')!);
  const years = new Map<string, YearResolver>();
  if (opts.year === undefined) {
    const sets = new Map<string, string[]>();
    for (const p of syslogs) sets.set(rotationKey(p.path)[0], [...(sets.get(rotationKey(p.path)[0]) ?? []), p.path]);
    for (const set of sets.values()) if (set.length > 1 && near === undefined) for (const [pp, y] of await rotatedYears(set)) years.set(pp, y);
  }
  const lanes: (() => Promise<IteratorResult<Item[], unknown>>)[] = [];
  // the kernel's and keepalived's lines about dropped packets, found by each syslog's one pass
  const sideOf = new Map<PlannedInput, SideRun[]>();
  const logsByVrid = new Set<number>();
  for (const p of captures) {
    const s = sum(p, 'capture', p.format ?? null);
    const host = hostFor(p);
    // tcpdump's printed times have no zone: read in the host's input zone, as logs are
    if (p.format === TCPDUMP_TEXT) s.zone = zoneOf(host);
    const it = p.format === TCPDUMP_TEXT ? readTcpdumpText(p.path, { tz: zoneOf(host), toEpochMs: clockOf(host) }) : readCapture(p.path);
    lanes.push(async () => {
      const r = await it.next();
      if (r.done) {
        problems(s, r.value.problems, r.value.error);
        // frames of a framing not decoded might have held VRRP: said, so "nothing found" is never silent about them
        if ('skipped' in r.value && r.value.skipped.some((k) => k.frames > 0)) s.undecoded = { frames: r.value.frames, skipped: r.value.skipped };
        s.format = r.value.format;
        return { done: true, value: undefined };
      }
      const items: Item[] = [];
      for (const rec of r.value) {
        if (rec.time === null || rec.timeOutlier) continue; // an outlier time never stretches a finding or the axis
        s.records++;
        seen(s, rec.time);
        items.push({ at: rec.time, host, rec });
      }
      return { done: false, value: items };
    });
  }
  for (const p of syslogs) {
    const s = sum(p, 'syslog', null);
    const it = readSyslog(p.path, { tz: zoneOf(p.host), toEpochMs: clockOf(p.host), checkLocalTimes: true, sideLines: true, year: opts.year, yearFrom: years.get(p.path), near: near !== undefined ? new Date(Number(near / 1_000_000n)) : undefined });
    lanes.push(async () => {
      const r = await it.next();
      if (r.done) {
        const info = r.value;
        s.format = Object.keys(info.framings).join('+') || null;
        if (info.year) s.year = { first: info.year.firstYear, source: info.year.source, weak: info.year.weak, rollovers: info.year.rollovers };
        if (info.framings.rfc3164 || info.framings['keepalived-log-file']) s.zone = info.timezone;
        sideOf.set(p, info.side);
        problems(s, info.problems, info.error);
        return { done: true, value: undefined };
      }
      const items: Item[] = [];
      for (const ev of r.value) {
        if (ev.timeOutlier) continue; // an outlier time never stretches a finding or the axis
        const host = p.host ?? ev.host ?? null;
        const at = ev.time - (host ? offsets.get(host) ?? 0n : 0n);
        s.records++;
        seen(s, at);
        items.push({ at, host, ev });
        if (host && ev.fields.instance) {
          const v = vridOf(host, ev.fields.instance);
          if (v !== null) logsByVrid.add(v);
        }
      }
      return { done: false, value: items };
    });
  }
  const stats: MergeStats = { late: 0 };
  const take = (item: Item) => {
    if (item.rec) {
      if (item.rec.kind === 'vrrp') wire.advert(item.rec, item.at, item.host);
      else if (item.rec.kind === 'carp') wire.carp(item.rec, item.at, item.host);
      else wire.garp(item.rec, item.at, item.host);
    } else logs.event(item.ev, item.at, item.host);
  };
  // one host's logs that hold the same messages (rsyslog's two framings) are merged line by line: nothing counted twice, nothing lost
  const copies = new LogCopies<Item>((i) => (i.ev ? logLineOf(i.ev, i.host) : null));
  // (folded among the logs alone, before the merge with the captures: packets never wait behind a log line)
  if (mayHoldCopies(syslogs)) lanes.push(foldedLane(lanes.splice(captures.length), copies, stats));
  for await (const batch of mergeByTime<Item>(lanes, stats)) for (const item of batch) take(item);
  wire.finish();
  logs.finish();

  // each run takes its input's host (the file's host wins over the line's own), in the logs' order
  const side = syslogs.flatMap((p) => (sideOf.get(p) ?? []).map((r) => ({ ...r, host: p.host ?? r.host })));
  const end = evidenceEnd(timeline.entries, [...summaries.values()]);
  for (const e of sideTimeline(side)) timeline.add(e);
  const exhausted = exhaustionFindings(side, logs.transitions);
  const deaf = deafTakeovers({ transitions: logs.transitions, rejections: logs.rejections, timeline: timeline.entries, topo, exhaustion: exhausted });
  const findings = buildFindings({
    tz: opts.tz, topo, wire, logs, flows, rules, hasLogsFor: (v) => logsByVrid.has(v) || (logsByVrid.size === 0 && logs.transitions.length > 0),
    extra: [...exhausted, ...deaf],
    story: (translated) => conntrackStory(translated, { flows, rules, stops: logs.stops, end, timeline }),
  });
  linkExhaustion(findings);
  linkQuestions(findings);
  linkDeaf(findings);
  const clocks = clockOffsets(wire, logs);
  const inputs = plan.map((p) => summaries.get(p)).filter((s): s is InputSummary => s !== undefined);
  const report: Report = {
    schema: SCHEMA, timezone: opts.tz, inputs,
    routers: [...topo.routers.values()].map((r) => ({
      name: r.name, addresses: [...r.addresses.keys()], macs: [...r.macs.keys()], vrids: [...r.vrids].sort((a, b) => a - b), translatedTo: [...r.snatTargets.keys()],
    })),
    ...carpSpeakers(wire), clocks, findings, states: stateBands(logs), timeline: timeline.sorted(), timelineDropped: timeline.dropped, secretsShown: Boolean(opts.showSecrets),
    coverage: coverageOf(inputs),
  };
  report.endStates = hostEndStates(findings, report.states, rules, report.routers.map((r) => r.name));
  // untimed groups (configs, rulesets, later snapshots in folders of their own) are no incident of their own
  for (const s of inputs) {
    const n = wire.copies.get(s.path);
    if (n) (s.notes ??= []).push({ kind: 'advert-copies', adverts: n });
    const folded = copies.folded.get(s.path);
    if (folded) {
      s.folded = [...folded].map(([keptIn, messages]) => ({ keptIn, messages }));
      (s.notes ??= []).push({ kind: 'folded' });
    }
  }
  report.hostFolders = folderTable(plan.filter((p) => p.kind !== 'unknown'));
  // hosts named by a folder or file name alone are warned about by the renderers, from hostFolders (weak rows)
  const incidents = separateIncidents(inputs).filter((g) => g.first !== null);
  if (incidents.length > 1) {
    report.incidents = { spans: incidents.map((g) => ({ first: BigInt(g.first!), last: BigInt(g.last ?? g.first!) })), inBatch: Boolean(opts.inBatch) };
  }
  if (stats.late) for (const s of inputs) if (s.kind === 'capture' || s.kind === 'syslog') s.outOfOrder = stats.late;
  return opts.showSecrets ? report : redact(report, [...secrets]);
}

/** CARP speakers for the report (a field only when a capture held CARP: the JSON of VRRP-only inputs is unchanged). */
function carpSpeakers(wire: WireDetector): Pick<Report, 'carp'> {
  const gs = wire.carps();
  if (!gs.length) return {};
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return {
    carp: gs.map((g) => ({
      file: g.file, host: g.host, vhid: g.vhid, src: g.src, dst: g.dst, adverts: g.count, advbase: sorted(g.advbases), advskew: sorted(g.advskews),
      demotion: sorted(g.demotions), badChecksums: g.badChecksums, first: g.first, last: g.last,
      ...(g.translated?.original ? { translatedFrom: g.translated.original } : {}),
    })),
  };
}

/** The incidents batch would make of these inputs (same grouping: captures and conntrack by overlap, logs join). */
function separateIncidents(inputs: InputSummary[]): Group[] {
  const kind = (k: InputSummary['kind']): InputKind => (k === 'iptables' ? 'firewall' : k);
  return groupFiles(inputs.map((i) => ({
    path: i.path, kind: kind(i.kind), bytes: 0, hosts: i.host ? [i.host] : [],
    // snapshots and rulesets are points in time (often taken later, while investigating), not spans of an incident
    ...(i.first === null || i.first === i.last ? { first: null, last: null } : { first: String(i.first), last: String(i.last) }),
  })));
}
