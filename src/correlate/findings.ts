import { parseIp } from '../model/address.js';
import { formatInstant } from '../model/instant.js';
import { AH_WHY, type Basis, type Confidence, type ConntrackCause, type Evidence, type Finding, type SameRouterFact, type Transition, type WireChangeRule } from '../model/report.js';
import { v3ValidForSource } from '../sources/capture/vrrp.js';
import type { Ruleset } from '../sources/config/firewall.js';
import { verdictFor } from '../sources/config/packet-path.js';
import type { FlowHistory } from '../model/conntrack.js';
import { PROTO } from '../sources/conntrack/entry.js';
import { dropOf, peerIn } from './explain.js';
import { remedyFor } from './remedy.js';
import type { LogDetector, MasterInterval, Rejection } from './states.js';
import { isVirtualMac, type Topology } from './topology.js';
import type { Interval, SenderGroup, WireChange, WireDetector } from './wire.js';
import { onLink, sameSenders, type SameSender } from './same-sender.js';
import type { Resolved } from './topology.js';

const SEC = 1_000_000_000n;

/** A saved ruleset and when it was true (its "Generated … on" line, else the file's mtime). */
export interface RuleSnapshot {
  host: string | null;
  file: string;
  at: bigint;
  rules: Ruleset;
}

export interface FindingInputs {
  /** the display zone of times in the findings' words (default UTC) */
  tz?: string;
  topo: Topology;
  wire: WireDetector;
  logs: LogDetector;
  flows: (FlowHistory & { host: string | null; text?: string })[];
  /** in time order */
  rules: RuleSnapshot[];
  hasLogsFor: (vrid: number) => boolean;
  /** findings of causes other than NAT (conntrack exhaustion), built apart, numbered with the rest */
  extra?: Finding[];
  /** more of the story told from the translations once built (their entry's life, birth cause, contradictions) */
  story?: (translated: Finding[]) => Finding[];
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
/** The display zone the findings' words give times in (set by buildFindings, which runs synchronously). */
let zone = 'UTC';
const t = (ns: bigint | null | undefined) => (ns === null || ns === undefined ? '?' : formatInstant(ns, zone, 'tttt', 6));

/** Every finding, in time order, ids F1… */
export function buildFindings(x: FindingInputs): Finding[] {
  zone = x.tz ?? 'UTC';
  const wireSeen = translationFindings(x);
  // each source alone can prove a translation: a conntrack entry, a peer's log — where no capture showed it
  const translated = [...wireSeen.findings];
  // a protocol 112 entry the captures show to be CARP's is explained by the CARP finding, not a VRRP one
  const carp = carpFindings(x);
  translated.push(...conntrackOnlyFindings(x, [...translated, ...carp]));
  translated.push(...peerLogFindings(x, translated));
  const causes = new Map<Finding, Finding[]>();
  const splits = splitBrainFindings(x, translated, causes, wireSeen.aliases);
  const storms = stormFindings(x);
  const changes = masterChangeFindings(x, wireSeen.aliases);
  const story = x.story?.(translated) ?? [];
  const all = [...translated, ...splits, ...storms, ...changes, ...resignationFindings(x), ...carp, ...(x.extra ?? []), ...story];
  const at = (f: Finding) => f.firstSeen ?? f.start ?? 0n;
  all.sort((a, b) => (rank(a) - rank(b)) || (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  all.forEach((f, i) => (f.id = `F${i + 1}`));
  // ids are known only now: a split brain names its cause, and the cause what it led to (typed, then worded)
  for (const [split, all] of causes) {
    split.causedBy = all[0].id;
    if (all.length > 1) split.alsoCausedBy = all.slice(1).map((c) => c.id);
    split.summary = `${stems.get(split)}${all.map((c) => `${causeWords(c)} (${c.id})`).join(' and ')}.`;
    for (const cause of all) {
      if (cause.election !== 'split-brain') cause.electionBeforeSplit = cause.election;
      cause.election = 'split-brain';
      if (!cause.led?.includes(split.id)) (cause.led ??= []).push(split.id);
    }
  }
  for (const f of translated) {
    const stem = stems.get(f);
    if (stem !== undefined) f.summary = stem + effectWords(f) + '.';
  }
  return all;
}

/**
 * Summaries whose end depends on other findings (a translation's effect, a split brain's cause): the words up to
 * that point, finished by buildFindings once every finding has its id and links.
 */
const stems = new WeakMap<Finding, string>();

/** What a translation did to elections, in words, from its typed fields (the first split brain it caused named). */
function effectWords(f: Finding): string {
  const changed = f.election === 'changed' || f.electionBeforeSplit === 'changed' ? '; it changed the election' : '';
  if (f.election === 'split-brain') return `${changed}; it split the brain (${f.led![0]})`;
  if (f.election === 'by-priority') return '; the peer saw the wrong address, but the election went by priority as it would have untranslated';
  return changed;
}

function rank(f: Finding): number {
  return f.severity === 'critical' ? 0 : f.severity === 'warning' ? 1 : 2;
}

/** 1 + 2 + 3 + 7: translated sources, their conntrack cause, the transitions after them, and the remedy. */
function translationFindings(x: FindingInputs): { findings: Finding[]; aliases: Map<string, string> } {
  // what the topology could not resolve, the capture alone may: one sender under two addresses
  const inferred = sameSenders(x.wire);
  const resolvedOf = (g: SenderGroup): Resolved => {
    const same = inferred.get(g);
    if (g.resolved.translated || !same) return g.resolved;
    return { router: same.originalGroup?.resolved.router ?? x.topo.ownerOf(same.original), original: same.original, translated: true };
  };
  const byKey = new Map<string, SenderGroup[]>();
  for (const g of x.wire.groups()) {
    const res = resolvedOf(g);
    if (!res.translated) continue;
    const k = `${g.vrid}|${res.original}|${g.src}`;
    byKey.set(k, [...(byKey.get(k) ?? []), g]);
  }
  const out: Finding[] = [];
  for (const groups of byKey.values()) {
    const g0 = groups[0];
    const res0 = resolvedOf(g0);
    const original = res0.original;
    const router = res0.router ?? x.topo.ownerOf(original) ?? null;
    const firstSeen = groups.map((g) => g.first.at!).reduce(min);
    const lastSeen = groups.map((g) => g.last.at!).reduce(max);
    const evidence: Evidence[] = [];
    let reverted: Evidence | null = null;
    for (const g of groups) {
      evidence.push({ ...g.first, text: `first translated advert in this capture: ${g.first.text}` });
      if (g.count > 1) evidence.push({ ...g.last, text: `last translated advert in this capture (${g.count} in all): ${g.last.text}` });
      const rev = x.wire.group(g.file, g.vrid, original)?.firstAfter.get(g.src);
      if (rev && rev.at !== null && rev.at > g.last.at!) {
        evidence.push({ ...rev, text: `source reverted: ${rev.text}` });
        if (!reverted || rev.at < reverted.at!) reverted = rev;
      }
    }
    // no revert to see when the router simply stopped advertising: it left MASTER, or keepalived stopped
    const left = reverted ? undefined : x.logs.transitions.find((tr) => tr.host === router && tr.from === 'MASTER' && tr.at >= lastSeen && tr.at <= lastSeen + 5n * SEC);
    const stop = reverted || left ? undefined : x.logs.stops.find((st) => st.host === router && st.at >= lastSeen && st.at <= lastSeen + 5n * SEC);
    const quiet = left ? `${router} left MASTER at ${t(left.at)} (${left.file}:${left.line})` : stop ? `keepalived on ${router} stopped at ${t(stop.at)}` : null;
    const same = sameRouterFacts(x, groups, original, router, firstSeen);
    const cause = conntrackCause(x, original, g0.src, router, firstSeen, lastSeen);
    const end = reverted?.at ?? lastSeen;
    const { transitions, elected, seenWrong } = electionEffect(x, router, firstSeen, end);
    const f: Finding = {
      id: '', kind: 'vrrp-source-translated', severity: elected ? 'critical' : 'warning', vrid: g0.vrid, router,
      summary: '', originalSource: original, translatedSource: g0.src, firstSeen, lastSeen, revertedAt: reverted?.at ?? null,
      adverts: Math.max(...groups.map((g) => g.count)), sameRouter: same.facts, conntrack: cause, transitions, evidence: dedupe([...evidence, ...same.evidence]),
    };
    f.election = elected ? 'changed' : seenWrong ? 'by-priority' : 'not-seen';
    if (g0.resolved.how === 'checksum') f.recoveredSource = original;
    Object.assign(f, confidenceOf(groups.map((g) => ({ g, how: g.resolved.translated ? g.resolved.how : undefined, same: inferred.get(g) })), same.v3Proof, cause));
    const inst = router ? x.topo.routers.get(router)?.instances.find((i) => i.vrid === g0.vrid) : undefined;
    const latest = router ? x.rules.filter((r) => r.host === router).at(-1) : undefined;
    f.remedy = remedyFor({
      router: router ?? original, original, translated: g0.src, dst: g0.dst, interface: inst?.interface,
      protocols: inst?.auth?.type?.toUpperCase() === 'AH' ? [PROTO.AH] : [PROTO.VRRP],
      latest: latest ? { file: latest.file, rules: latest.rules } : undefined,
    });
    f.summary = `VRRP adverts of ${router ? `${router} (vrid ${g0.vrid}, ${original})` : `${original} (vrid ${g0.vrid})`} left with the translated source ${g0.src} ` +
      `from ${t(firstSeen)} to ${t(lastSeen)} ${zone} (${f.adverts} adverts)` +
      (cause ? `, because conntrack entry ${cause.file}:${cause.line} (${cause.relation.replace(/-/g, ' ')}) sends them through SNAT` : '') +
      (reverted ? `; reverted at ${t(reverted.at)}` : quiet ? `; no advert after it: ${quiet}` : '; not reverted in the evidence');
    stems.set(f, f.summary);
    out.push(f);
  }
  // a sender seen under a rewritten source is the same sender, not a new master: "lane|address" → its real identity
  const aliases = new Map<string, string>();
  for (const [g, same] of inferred) aliases.set(`${g.file}|${g.vrid}|${g.src}`, same.originalGroup?.resolved.router ?? x.topo.ownerOf(same.original) ?? same.original);
  return { findings: out, aliases };
}

/**
 * A conntrack entry for VRRP or AH whose reply tuple names an address that is neither endpoint proves the translation
 * on its own: every advert of that flow leaves with that source. Made when no capture showed those adverts.
 */
function conntrackOnlyFindings(x: FindingInputs, seen: Finding[]): Finding[] {
  const pairs = new Map<string, FindingInputs['flows']>();
  for (const fl of x.flows) {
    const T = fl.nat.translatedSource;
    if ((fl.protoNum !== PROTO.VRRP && fl.protoNum !== PROTO.AH) || !T || fl.nat.kind === 'dnat' || fl.nat.kind === 'none') continue;
    if (seen.some((f) => f.originalSource === fl.orig.src && f.translatedSource === T)) continue;
    const k = `${fl.orig.src}|${T}`;
    pairs.set(k, [...(pairs.get(k) ?? []), fl]);
  }
  const out: Finding[] = [];
  for (const lives of pairs.values()) {
    const l0 = lives[0];
    const original = l0.orig.src;
    const T = l0.nat.translatedSource!;
    const router = lives.find((l) => l.host)?.host ?? x.topo.ownerOf(original) ?? null;
    const times = lives.flatMap((l) => [l.born?.at, l.first.at, l.last.at, l.lastRefresh?.at]).filter((v): v is bigint => v !== undefined);
    const firstSeen = times.length ? times.reduce(min) : null;
    const lastSeen = times.length ? times.reduce(max) : null;
    const cause = conntrackCause(x, original, T, router, firstSeen ?? 0n, lastSeen ?? 0n)!;
    const r = router ? x.topo.routers.get(router) : undefined;
    const vrids = [...(r?.vrids ?? [])];
    const vrid = vrids.length === 1 ? vrids[0] : null;
    const inst = r?.instances.find((i) => i.vrid === vrid);
    const effect = firstSeen !== null ? electionEffect(x, router, firstSeen, lastSeen!) : { transitions: [], elected: false, seenWrong: false };
    const latest = router ? x.rules.filter((rs) => rs.host === router).at(-1) : undefined;
    const basis: Basis[] = cause.rule?.decision === 'translated' ? ['conntrack-entry', 'snat-rule'] : ['conntrack-entry'];
    const f: Finding = {
      id: '', kind: 'vrrp-source-translated', severity: effect.elected ? 'critical' : 'warning', vrid, router, summary: '',
      originalSource: original, translatedSource: T, ...(firstSeen !== null ? { firstSeen, lastSeen: lastSeen! } : {}), revertedAt: cause.destroyed?.at ?? null,
      conntrack: cause, transitions: effect.transitions, confidence: 'proven', basis,
      election: effect.elected ? 'changed' : effect.seenWrong ? 'by-priority' : 'not-seen',
      evidence: dedupe(lives.map((l) => {
        const c = l.born ?? l.first;
        return { file: c.file, locator: `line ${c.line}`, at: l.born?.at ?? l.first.at ?? null, text: `conntrack: ${l.text ?? ''}`.trim() };
      })),
      remedy: remedyFor({
        router: router ?? original, original, translated: T, dst: l0.orig.dst, interface: inst?.interface,
        protocols: [...new Set(lives.map((l) => l.protoNum))], latest: latest ? { file: latest.file, rules: latest.rules } : undefined,
      }),
    };
    f.summary = `VRRP${l0.protoNum === PROTO.AH ? ' (AH)' : ''} adverts of ${router ? `${router} (${original}${vrid !== null ? `, vrid ${vrid}` : ''})` : original} to ${l0.orig.dst} ${cause.destroyed ? 'left' : 'leave'} with the translated source ${T}: ` +
      `conntrack entry ${cause.file}:${cause.line} says so on its own (its reply tuple names ${T}, neither endpoint)` +
      (cause.createdAt === null ? '' : cause.createdAtFrom === 'estimate' ? `, in the table by ${t(cause.createdAt)} ${zone}` : `, created ${t(cause.createdAt)} ${zone}`);
    stems.set(f, f.summary);
    out.push(f);
  }
  return out;
}

/**
 * A peer's keepalived naming an advert source that is not on the VRRP link (no /24 or /64 shared with the virtual
 * addresses and the host's own addresses its log shows) — a router's adverts arriving with a rewritten source.
 * Suggestive alone; strong when a ruleset or conntrack entry also makes it a translated address.
 */
function peerLogFindings(x: FindingInputs, seen: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const n of x.logs.namedSources.values()) {
    const link = x.logs.linkAddresses.get(n.host) ?? new Set<string>();
    const r = x.topo.routers.get(n.host);
    const neighbours = [...link, ...(r ? [...r.addresses.keys()] : []), ...(r?.instances.flatMap((i) => i.vips.map((v) => v.split("/")[0])) ?? [])];
    const known = x.topo.translated.get(n.address);
    if (!known && (!neighbours.length || onLink(n.address, neighbours))) continue;
    const ev: Evidence = { ...n.first, text: `${n.host}'s keepalived names the advert source ${n.address} (${n.lines} line${n.lines === 1 ? '' : 's'}): ${n.first.text}` };
    const hit = seen.find((f) => f.translatedSource === n.address) ?? out.find((f) => f.translatedSource === n.address);
    if (hit) {
      hit.evidence.push(ev);
      if (hit.basis && !hit.basis.includes('peer-log')) hit.basis.push('peer-log');
      if (hit.hosts && !hit.hosts.includes(n.host)) hit.hosts.push(n.host);
      continue;
    }
    const original = known?.original;
    const router = known?.router ?? (original ? x.topo.ownerOf(original) : undefined) ?? x.topo.ownerOf(n.address) ?? null;
    const vrid = n.instance !== null ? x.topo.routers.get(n.host)?.instances.find((i) => i.name === n.instance)?.vrid ?? null : null;
    const firstSeen = n.first.at!;
    const lastSeen = n.last.at!;
    const effect = electionEffect(x, router, firstSeen, lastSeen);
    const basis: Basis[] = known ? ['peer-log', known.learned.how === 'conntrack' ? 'conntrack-entry' : 'snat-rule'] : ['peer-log'];
    const f: Finding = {
      id: '', kind: 'vrrp-source-translated', severity: effect.elected || n.dropped ? 'critical' : 'warning', vrid, router, summary: '',
      ...(original ? { originalSource: original } : {}), translatedSource: n.address, firstSeen, lastSeen, revertedAt: null, hosts: [n.host],
      transitions: effect.transitions, confidence: known ? 'strong' : 'suggestive', basis,
      evidence: dedupe([ev, ...(n.lines > 1 ? [{ ...n.last, text: `last such line: ${n.last.text}` }] : []), ...(known ? [known.learned.evidence] : [])]),
    };
    f.summary = `${n.host}'s keepalived heard VRRP adverts${vrid !== null ? ` of vrid ${vrid}` : ''} from ${n.address}, which is not on its VRRP link` +
      (router ? ` (${router}${original ? `, really ${original}` : ''})` : ' and no router\'s address in the evidence') +
      ` — a router's adverts leaving with a translated source, from ${t(firstSeen)} to ${t(lastSeen)} ${zone}` +
      (n.dropped ? `; ${n.host} dropped them` : '');
    f.election = effect.elected ? 'changed' : 'not-seen';
    stems.set(f, f.summary);
    out.push(f);
  }
  return out;
}

/**
 * What the transitions around a translation say about it: keepalived compares priorities first; the source address
 * decides only a tie, and a peer that drops the adverts (v3 checksum, AH, unicast peer check) never hears them.
 * Anything else would have gone the same way untranslated.
 */
function electionEffect(x: FindingInputs, router: string | null, firstSeen: bigint, end: bigint): { transitions: Transition[]; elected: boolean; seenWrong: boolean } {
  const transitions = x.logs.transitions.filter((tr) => tr.at >= firstSeen - 5n * SEC && tr.at <= end + 10n * SEC);
  const after = transitions.filter((tr) => tr.host !== router && tr.at >= firstSeen);
  // a peer that dropped the adverts never heard them; a tie broken on a translated address went the other way
  const elected = after.some((tr) => dropOf(tr.reason) !== undefined || (tr.reason?.kind === 'tie-break' && peerIn(tr.reason)?.translated !== undefined));
  const seenWrong = !elected && after.some((tr) => peerIn(tr.reason)?.translated !== undefined);
  return { transitions, elected, seenWrong };
}

/** How sure a translation seen on the wire is, and on what it rests. */
function confidenceOf(groups: { g: SenderGroup; how?: Resolved['how']; same?: SameSender }[], v3Proof: boolean, cause: ConntrackCause | null): { confidence: Confidence; basis: Basis[] } {
  const basis = new Set<Basis>();
  const level = new Set<Confidence>();
  const add = (b: Basis, c: Confidence) => {
    basis.add(b);
    level.add(c);
  };
  for (const { g, how, same } of groups) {
    if (how === 'conntrack') add('capture-known-translation', 'proven');
    if (how === 'firewall') {
      add('capture-known-translation', 'strong');
      add('snat-rule', 'strong');
    }
    if (how === 'checksum') add('capture-v3-checksum', 'proven');
    if (how === 'mac') add('capture-same-sender', 'strong');
    for (const b of same?.basis ?? []) add(b, same!.confidence);
    if (g.sentByUs) add('capture-sent-by-us', 'proven');
  }
  if (v3Proof) add('capture-v3-checksum', 'proven');
  if (cause) add('conntrack-entry', 'proven');
  return { confidence: level.has('proven') ? 'proven' : level.has('strong') ? 'strong' : 'suggestive', basis: [...basis] };
}

/** The evidence that a translated advert is the same router with a rewritten source, not a new master. */
function sameRouterFacts(x: FindingInputs, groups: SenderGroup[], original: string, router: string | null, firstSeen: bigint): { facts: SameRouterFact[]; evidence: Evidence[]; v3Proof: boolean } {
  const facts: SameRouterFact[] = [];
  let v3Proof = false;
  const evidence: Evidence[] = [];
  const r = router ? x.topo.routers.get(router) : undefined;
  for (const g of groups) {
    const own = x.wire.group(g.file, g.vrid, original);
    const macs = [...g.macs].filter((m) => !isVirtualMac(m));
    const known = macs.filter((m) => own?.macs.has(m) || r?.macs.has(m));
    // on the router's own capture "sent by us" says it better; on a peer's capture the MAC is the independent proof
    if (known.length && g.host !== router) {
      facts.push({ kind: 'mac', macs: known, of: router ?? original, file: g.file });
      const l = r?.macs.get(known[0]);
      if (l) evidence.push({ ...l.evidence, text: `${router}'s MAC ${known[0]}: ${l.evidence.text}` });
    }
    if (g.sentByUs) facts.push({ kind: 'sent-by-us', host: g.host, file: g.file, adverts: g.sentByUs });
    if (own) {
      const eq = (a: Set<string | number>, b: Set<string | number>) => a.size > 0 && [...a].every((v) => b.has(v));
      // priority 0 is the advert a stopping master sends, not a priority the router runs at
      const running = (s: Set<number>) => new Set([...s].filter((p) => p !== 0));
      const pr = running(g.priorities);
      if (eq(pr, running(own.priorities))) facts.push({ kind: 'priority', priorities: [...pr], original, file: g.file, stopped: g.priorities.has(0) });
      if (eq(g.intervals, own.intervals)) facts.push({ kind: 'interval', intervals: [...g.intervals] });
      if (eq(g.vips, own.vips)) facts.push({ kind: 'vips', vips: [...g.vips] });
      if (g.auth.size && eq(g.auth, own.auth)) facts.push({ kind: 'auth' });
    } else if (r) {
      const inst = r.instances.find((i) => i.vrid === g.vrid);
      if (inst?.priority !== undefined && g.priorities.has(inst.priority)) facts.push({ kind: 'configured-priority', priority: inst.priority, router, file: inst.file, line: inst.line });
    }
    if (g.v3Partial !== undefined) {
      const b = parseIp(original);
      if (b && v3ValidForSource(g.v3Partial, b)) {
        v3Proof = true;
        facts.push({ kind: 'v3-checksum', src: g.src, original });
      }
    }
  }
  const vips = new Set(groups.flatMap((g) => [...g.vips].flatMap((v) => v.split(','))));
  const garps = x.wire.garps.filter((a) => vips.has(a.address) && a.at >= firstSeen && a.at <= firstSeen + 3n * SEC);
  const ownMacs = new Set([...groups.flatMap((g) => [...g.macs]), ...(r ? [...r.macs.keys()] : [])]);
  const foreign = garps.filter((a) => a.mac && !ownMacs.has(a.mac));
  // with use_vmac every master announces the same virtual MAC: a GARP cannot tell one master from another
  const virtual = garps.some((a) => a.mac && isVirtualMac(a.mac)) || [...ownMacs].some((m) => isVirtualMac(m));
  if (!foreign.length && !virtual) facts.push({ kind: 'no-foreign-garp' });
  for (const a of foreign.slice(0, 3)) evidence.push({ file: a.file, locator: a.locator, at: a.at, text: `gratuitous ARP for ${a.address} from ${a.mac} near the flip` });
  if (router) {
    const m = x.logs.masters.find((mi) => mi.host === router && mi.start <= firstSeen + SEC && (mi.end === null || mi.end > firstSeen));
    if (m) {
      facts.push({ kind: 'master', router, since: m.start });
      evidence.push({ ...m.startEvidence });
    }
  }
  // one fact once, however many captures showed it
  const seen = new Set<string>();
  const once = facts.filter((f) => !seen.has(factKey(f)) && Boolean(seen.add(factKey(f))));
  return { facts: once, evidence: dedupe(evidence), v3Proof };
}

function factKey(f: SameRouterFact): string {
  return JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** 2: the conntrack entry behind the translation, when it was born, the rule in force then, and why it persists. */
function conntrackCause(x: FindingInputs, original: string, translated: string, router: string | null, firstSeen: bigint, lastSeen: bigint): ConntrackCause | null {
  const lives = x.flows.filter((f) => (f.protoNum === PROTO.VRRP || f.protoNum === PROTO.AH) && f.orig.src === original && f.nat.translatedSource === translated);
  if (!lives.length) return null;
  // the life that was alive at the first translated advert: born before it (+1 s for delta-time resolution), latest such
  const bornAt = (f: FlowHistory) => f.born?.at ?? f.first.at;
  const candidates = lives.filter((f) => bornAt(f) === undefined || bornAt(f)! <= firstSeen + 2n * SEC);
  const life = (candidates.length ? candidates : lives).sort((a, b) => Number((bornAt(b) ?? 0n) - (bornAt(a) ?? 0n)))[0];
  const b = life.born;
  let relation = 'unknown';
  if (b) {
    const lo = (b.earliest ?? b.at) - (b.from === 'event' ? 100_000_000n : 0n);
    // a ktimestamp ctime is a whole second: an advert in that second was born with it, not after
    const wholeSecond = b.from === 'ktimestamp' && b.earliest === b.at;
    const hi = b.at + (wholeSecond ? SEC : 100_000_000n);
    if (b.from !== 'bounds' && firstSeen >= lo - SEC / 10n && firstSeen <= hi) relation = 'born-with-first-advert';
    else if (b.at < firstSeen) relation = b.from === 'bounds' ? 'born-no-later-than-first-sighting' : 'born-earlier';
    else relation = 'born-later';
  }
  const from = b ? ({ event: 'event', ktimestamp: 'ktimestamp', 'delta-time': 'delta-time', 'destroy-lifetime': 'delta-time', bounds: 'estimate' } as const)[b.from] : null;
  const cite = b ?? life.first;
  const c: ConntrackCause = {
    file: cite.file, line: cite.line, text: life.text ?? '',
    original: { src: life.orig.src, dst: life.orig.dst, protocol: life.protoNum },
    reply: { src: life.reply.src, dst: life.reply.dst },
    createdAt: b?.at ?? null, createdAtFrom: from, relation,
    lastSeen: { file: life.last.file, line: life.last.line, at: life.last.at ?? null },
  };
  if (b?.note) c.createdAtNote = b.note;
  if (b && b.from !== 'bounds') c.relationPrecision = b.from === 'event' || b.earliest === undefined ? 'exact' : 'second';
  if (life.destroyed) c.destroyed = destroyedOf(life.destroyed);
  c.persistence = life.stale ?? `the entry is refreshed by every advert (advert_int ≪ the ${life.timeoutS} s generic timeout), so it does not expire while the router advertises`;
  // deleting the entry while the rule still matches only makes the next advert create it again, translated the same way
  const renewals = lives.filter((f) => f !== life && f.key === life.key && bornAt(f) !== undefined && life.destroyed?.at !== undefined &&
    bornAt(f)! >= life.destroyed.at && bornAt(f)! <= lastSeen).sort((a, b) => Number(bornAt(a)! - bornAt(b)!));
  if (renewals.length && life.destroyed) {
    c.renewals = renewals.map((f) => {
      const cite = f.born ?? f.first;
      return { file: cite.file, line: cite.line, at: bornAt(f) ?? null, ...(f.destroyed ? { destroyed: destroyedOf(f.destroyed) } : {}) };
    });
    const next = renewals[0];
    const gap = Number(bornAt(next)! - life.destroyed.at!) / 1e9;
    const end = renewals.at(-1)!.destroyed;
    c.persistence = `deleting it (${life.destroyed.file}:${life.destroyed.line}) did not help: ${gap.toFixed(2)} s later the next advert made it again, translated ` +
      `the same way (${(next.born ?? next.first).file}:${(next.born ?? next.first).line}) — the nat rule still matched${renewals.length > 1 ? ` (${renewals.length} times in all)` : ''}` +
      (end ? `; the translation ended when the last one was ${end.byUser ? 'deleted' : 'destroyed'} (${end.file}:${end.line})` : '');
  }
  const snaps = x.rules.filter((r) => r.host === router);
  if (snaps.length) {
    const pkt = { src: original, dst: life.orig.dst, proto: life.protoNum };
    const at = b?.at ?? firstSeen;
    // "Generated … on" has 1 s resolution: a snapshot stamped in the second of the birth counts as before it
    const before = snaps.filter((s) => s.at <= at);
    const inForce = before.at(-1) ?? snaps[0];
    const v = verdictFor(inForce.rules, pkt);
    if (v.rule) c.rule = { file: inForce.file, line: v.rule.line, text: v.rule.text, decision: v.decision };
    c.ruleChanges = [];
    for (const s of snaps.slice(snaps.indexOf(inForce) + 1)) {
      const w = verdictFor(s.rules, pkt);
      // auth_type AH: the adverts are protocol 51, and rules written for `-p vrrp` do not see them
      const vrrpOnly = life.protoNum === PROTO.AH && w.decision === 'translated' && verdictFor(s.rules, { ...pkt, proto: PROTO.VRRP }).decision !== 'translated';
      const note = vrrpOnly
        ? 'still translates: its VRRP rules do not match these adverts, which are AH (protocol 51, keepalived auth_type AH)'
        : w.decision === 'translated'
        ? 'still translates VRRP'
        : s.at < lastSeen
          ? `${w.decision === 'untracked' ? 'NOTRACK' : 'an exemption'} (line ${w.rule?.line ?? '?'}) added while the entry existed: nat rules are consulted only when an entry is created, so the existing entry kept translating until ${t(lastSeen)}`
          : `${w.decision} from here on (line ${w.rule?.line ?? '?'})`;
      c.ruleChanges.push({ file: s.file, line: w.rule?.line ?? null, at: s.at, decision: w.decision, note });
    }
  }
  return c;
}

/** A flow's end as the report states it (null, not undefined, for an unknown time). */
function destroyedOf(d: NonNullable<FlowHistory['destroyed']>): NonNullable<ConntrackCause['destroyed']> {
  return { file: d.file, line: d.line, at: d.at ?? null, ...(d.byUser ? { byUser: d.byUser } : {}) };
}

/** 4: two masters at once, from the wire (two senders for three intervals) and from the logs (two hosts MASTER). */
function splitBrainFindings(x: FindingInputs, translated: Finding[], causes: Map<Finding, Finding[]>, aliases: Map<string, string>): Finding[] {
  type Cluster = { vrid: number | null; start: bigint; end: bigint | null; hosts: Set<string>; evidence: Evidence[] };
  const clusters: Cluster[] = [];
  const add = (c: Cluster) => {
    const hit = clusters.find((k) => k.vrid === c.vrid && k.start <= (c.end ?? c.start + 3600n * SEC) + SEC && c.start <= (k.end ?? k.start + 3600n * SEC) + SEC);
    if (!hit) return void clusters.push(c);
    hit.start = min(hit.start, c.start);
    hit.end = hit.end === null || c.end === null ? null : max(hit.end, c.end);
    for (const h of c.hosts) hit.hosts.add(h);
    hit.evidence.push(...c.evidence);
  };
  for (const s of x.wire.splits) {
    // a sender seen under its translated address is the same router, named as the master-change findings name it
    const hosts = new Set([...s.senders].map((src) => aliases.get(`${s.first.file}|${s.vrid}|${src}`) ?? src));
    // one router under its real and its translated address is the translation finding, not two masters
    if (hosts.size < 2) continue;
    add({ vrid: s.vrid, start: s.start, end: s.end, hosts, evidence: [{ ...s.first, text: `two senders for vrid ${s.vrid} (${[...s.senders].join(', ')}) from here: ${s.first.text}` }] });
  }
  const ms = x.logs.masters;
  for (let i = 0; i < ms.length; i++) {
    for (let j = i + 1; j < ms.length; j++) {
      const a = ms[i];
      const b = ms[j];
      if (a.host === b.host || !sameGroup(a, b)) continue;
      const start = max(a.start, b.start);
      const end = a.end === null ? b.end : b.end === null ? a.end : min(a.end, b.end);
      // a preemption overlaps for a moment; three seconds of two MASTERs is a split brain
      if (end !== null && end - start < 3n * SEC) continue;
      add({ vrid: a.vrid ?? b.vrid, start, end, hosts: new Set([a.host, b.host]), evidence: [a.startEvidence, b.startEvidence] });
    }
  }
  return clusters.map((c) => {
    // every translation of the vrid that overlaps the split caused it (each side may drop the other's adverts); the
    // first is the one the cause's words follow
    const all = translated.filter((f) => f.vrid === c.vrid && f.firstSeen! <= (c.end ?? c.start) && (f.revertedAt ?? f.lastSeen!) >= c.start);
    const cause = all[0];
    const f: Finding = {
      id: '', kind: 'split-brain', severity: 'critical', vrid: c.vrid, router: null, start: c.start, end: c.end, hosts: [...c.hosts].sort(),
      summary: `Split brain${c.vrid !== null ? ` on vrid ${c.vrid}` : ''}: ${[...c.hosts].sort().join(' and ')} were master at once from ${c.end === null ? `${t(c.start)} ${zone} to the end of the evidence` : `${t(c.start)} to ${t(c.end)} ${zone}`}` +
        (cause ? '' : '.'),
      evidence: dedupe(c.evidence),
    };
    // finished with the cause's id by buildFindings
    if (cause) stems.set(f, `${f.summary}, caused by `);
    if (cause) {
      // a translation that split the brain changed the election: critical
      for (const x of all) x.severity = 'critical';
      causes.set(f, all);
      const sender = cause.router ?? cause.originalSource ?? `the sender of ${cause.translatedSource}`;
      // the other master's keepalived saying why it did not hear the sender, during the split
      const deaf = x.logs.rejections.find((r) => c.hosts.has(r.host) && r.host !== sender && r.start <= (c.end ?? r.start) && r.end >= c.start);
      // configured priorities, when the configs are in the evidence: the tie-break story holds only for equal ones
      const prio = [...c.hosts].map((h) => x.topo.routers.get(h)?.instances.find((i) => i.vrid === c.vrid)?.priority);
      const unequal = prio.every((p) => p !== undefined) && new Set(prio).size > 1;
      f.cause = `the adverts of ${sender} carry ${cause.translatedSource}: ` + (deaf ? rejectionCause(deaf)
        : cause.transitions?.some((tr) => dropOf(tr.reason)?.by === 'checksum') ? 'the peer drops them as invalid VRRPv3 checksums and never hears the master'
          : unequal ? `the priorities differ (${prio.join(' vs ')}), so one router should have yielded; no log line in the evidence says why it did not hear the other`
            : 'with equal priorities each router breaks the tie on a different pair of addresses, so neither yields');
      if (deaf) f.evidence = dedupe([...f.evidence, deaf.first]);
    }
    return f;
  });
}

function causeWords(cause: Finding): string {
  return `the translated source ${cause.translatedSource} of ${cause.router ?? cause.originalSource ?? 'a router'}`;
}

function rejectionCause(r: Rejection): string {
  const n = `${r.lines} line${r.lines === 1 ? '' : 's'} from ${t(r.start)} to ${t(r.end)}, first ${r.first.file}:${r.firstLine}`;
  if (r.kind === 'ah-rejected') return `${r.host} drops them as failing IPSEC-AH (${AH_WHY}; ${n}), so it never hears the master and stays MASTER too`;
  if (r.kind === 'invalid-checksum') return `${r.host} drops them as invalid VRRPv3 checksums (the checksum covers the source address; ${n}) and never hears the master`;
  return `${r.host} drops them: ${r.peer ?? 'the translated address'} is not one of its unicast peers (${n})`;
}

function sameGroup(a: MasterInterval, b: MasterInterval): boolean {
  return a.vrid !== null && b.vrid !== null ? a.vrid === b.vrid : a.instance === b.instance;
}

/** 5: advert rates far above one per interval per sender, on the wire and as "forcing new election" lines. */
function stormFindings(x: FindingInputs): Finding[] {
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
  const out: Finding[] = merged.map((s) => ({
    id: '', kind: 'advert-storm', severity: 'warning', vrid: s.vrid, router: null, start: s.start, end: s.end, peakRate: s.peak, adverts: s.adverts,
    hosts: [...s.senders].sort(),
    summary: `Advert storm on vrid ${s.vrid}: ${s.adverts} adverts from ${t(s.start)} to ${t(s.end)} ${zone}, peak ${s.peak} per advert interval (expected about one per sender).`,
    evidence: [{ ...s.first, text: `storm starts: ${s.first.text}` }],
  }));
  for (const l of x.logs.storms) {
    const hit = out.find((f) => f.start! <= l.end + SEC && l.start <= (f.end ?? f.start!) + SEC);
    const ev = { ...l.first, text: `${l.lines} "forcing new election" lines on ${l.host} (peak ${l.peak}/s): ${l.first.text}` };
    if (hit) {
      hit.evidence.push(ev);
      if (!hit.hosts!.includes(l.host)) hit.hosts!.push(l.host);
      continue;
    }
    out.push({
      id: '', kind: 'advert-storm', severity: 'warning', vrid: null, router: l.host, start: l.start, end: l.end, peakRate: l.peak, hosts: [l.host],
      summary: `Election storm on ${l.host}: ${l.lines} "forcing new election" lines from ${t(l.start)} to ${t(l.end)} ${zone}, peak ${l.peak} per second.`,
      evidence: [ev],
    });
  }
  return out;
}

/** 6: ordinary master changes (info) — from the logs where a host logged them, else from who advertised. */
function masterChangeFindings(x: FindingInputs, aliases: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const tr of x.logs.transitions) {
    if (tr.to !== 'MASTER') continue;
    out.push(changeFinding(tr));
  }
  for (const wc of x.wire.changes) {
    if (x.hasLogsFor(wc.vrid)) continue;
    const alias = (id: string) => aliases.get(`${wc.file}|${wc.vrid}|${id}`) ?? id;
    const c = { ...wc, from: alias(wc.from), to: alias(wc.to) };
    // from a router to itself under its translated address: no change of master
    if (c.from === c.to) continue;
    const f: Finding = {
      id: '', kind: 'master-change', severity: 'info', vrid: c.vrid, router: c.to, start: c.at, end: null,
      summary: `Master of vrid ${c.vrid} changed from ${c.from} to ${c.to} at ${t(c.at)} ${zone}${c.rule ? ` (${CHANGE_RULE[c.rule](c)})` : ''}.`,
      evidence: [c.evidence, ...(c.lastOfOld ? [c.lastOfOld] : [])],
    };
    if (c.rule) f.changeRule = c.rule;
    if (c.fromPriority !== undefined) f.fromPriority = c.fromPriority;
    if (c.toPriority !== undefined) f.toPriority = c.toPriority;
    out.push(f);
  }
  return capChanges(dedupeChanges(out));
}

/** Each wire rule in words (the rule itself travels as Finding.changeRule). */
const CHANGE_RULE: Record<WireChangeRule, (c: WireChange) => string> = {
  'old-sender-silent': (c) => `${c.from} sent nothing for three advert intervals after ${c.to}'s first advert`,
  preempted: (c) => `preemption: ${c.to}'s priority ${c.toPriority} is above ${c.from}'s ${c.fromPriority}, and ${c.from} stopped advertising within the master-down interval (3 × advert interval + skew) while ${c.to} kept on`,
  'after-resignation': (c) => `${c.from} resigned with a priority-0 advert and ${c.to} took over`,
  'higher-priority-at-capture-end': (c) => `the capture ends before three silent intervals, but ${c.to}'s priority ${c.toPriority} is above ${c.from}'s ${c.fromPriority} and ${c.to} advertised after ${c.from}'s last advert`,
};

/** Priority-0 adverts (info): a master resigning; the same resignation in several captures is one finding. */
function resignationFindings(x: FindingInputs): Finding[] {
  const out: Finding[] = [];
  for (const r of x.wire.resignations) {
    const same = out.find((f) => f.vrid === r.vrid && f.router === r.sender && f.start !== undefined && (f.start > r.at ? f.start - r.at : r.at - f.start!) < SEC);
    if (same) {
      same.evidence.push(r.evidence);
      continue;
    }
    out.push({
      id: '', kind: 'resignation', severity: 'info', vrid: r.vrid, router: r.sender, start: r.at, end: null,
      summary: `${r.sender}${r.sender !== r.src ? ` (${r.src})` : ''} resigned as master of vrid ${r.vrid} at ${t(r.at)} ${zone}: a priority-0 advert (keepalived stopping or its instance leaving MASTER); a backup takes over after its skew time, not the full master-down interval.`,
      evidence: [r.evidence],
    });
  }
  return out;
}

/** CARP adverts leaving from a SNAT target instead of the member's own address: the same stale-translation fault. */
function carpFindings(x: FindingInputs): Finding[] {
  const out: Finding[] = [];
  for (const g of x.wire.carps()) {
    const tr = g.translated;
    if (!tr) continue;
    const member = tr.original ?? tr.router ?? 'a member';
    out.push({
      id: '', kind: 'carp-source-translated', severity: 'warning', vrid: null, vhid: g.vhid, router: tr.router ?? null,
      originalSource: tr.original, translatedSource: g.src, firstSeen: g.first.at ?? undefined, lastSeen: g.last.at ?? undefined, adverts: g.count,
      summary: `CARP adverts of vhid ${g.vhid} left as ${g.src}, a NAT address, not as ${member}'s own address (${g.count} adverts in ${g.file} from ${t(g.first.at)} to ${t(g.last.at)} ${zone}): outbound NAT rewrote the CARP member's source, as it does to VRRP adverts behind a catch-all SNAT — exempt IP protocol 112 from NAT and tracking.`,
      evidence: [g.first, g.last, tr.learned.evidence],
    });
  }
  return out;
}

/** Info findings listed at most; a flapping pair can change master 10,000s of times, and that is one fact. */
const MAX_CHANGES = 400;

function capChanges(fs: Finding[]): Finding[] {
  if (fs.length <= MAX_CHANGES) return fs;
  fs.sort((a, b) => (a.start! < b.start! ? -1 : 1));
  const head = fs.slice(0, MAX_CHANGES / 2);
  const tail = fs.slice(-MAX_CHANGES / 2);
  const mid = fs.slice(MAX_CHANGES / 2, -MAX_CHANGES / 2);
  const gap: Finding = {
    id: '', kind: 'master-change', severity: 'info', vrid: null, router: null, start: mid[0].start, end: mid.at(-1)!.start,
    summary: `${mid.length} more master changes from ${t(mid[0].start)} to ${t(mid.at(-1)!.start)} ${zone} are not listed (${fs.length} in all: the mastership is flapping).`,
    evidence: [mid[0].evidence[0], mid.at(-1)!.evidence[0]],
  };
  return [...head, gap, ...tail];
}

function changeFinding(tr: Transition): Finding {
  return {
    id: '', kind: 'master-change', severity: 'info', vrid: null, router: tr.host, start: tr.at, end: null,
    // with a reason, the renderers complete the sentence with its words
    summary: `${tr.host ?? '?'} became MASTER${tr.instance ? ` for ${tr.instance}` : ''} at ${t(tr.at)} ${zone}${tr.reason ? '' : '.'}`,
    ...(tr.reason ? { reason: tr.reason } : {}),
    transitions: [tr],
    evidence: [{ file: tr.file, locator: `line ${tr.line}`, at: tr.at, text: `Entering MASTER STATE${tr.from ? ` (from ${tr.from})` : ''}` }, ...(tr.reasonEvidence ?? [])],
  };
}

/** The same wire change seen in two captures is one change. */
function dedupeChanges(fs: Finding[]): Finding[] {
  const seen: Finding[] = [];
  for (const f of fs) {
    const dup = seen.find((s) => s.vrid === f.vrid && s.router === f.router && s.transitions === undefined && f.transitions === undefined &&
      (s.start! > f.start! ? s.start! - f.start! : f.start! - s.start!) < SEC);
    if (dup) dup.evidence.push(...f.evidence);
    else seen.push(f);
  }
  return seen;
}

function dedupe(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const k = `${e.file}|${e.locator}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
