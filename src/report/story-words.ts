import { captionOf } from './evidence-words.js';
import { formatInstant } from '../model/instant.js';
import type { BirthCause, Contradiction, EntryLife, Exhaustion, FirewallDrop, HostEndState, HypothesisKind, LinkDown, OutrankedAdverts, RulesetShift } from '../model/story.js';
import type { Evidence, TimeoutCause } from '../model/report.js';
import { andList, plural } from './words.js';

/**
 * The story's sentences — what let an entry be born, its life, contradictions, exhaustion, each host's end — written
 * from the typed facts (model/story.ts), in the display zone. The only place these words are written.
 */
const t = (ns: bigint | null | undefined, tz: string) => (ns === null || ns === undefined ? '?' : formatInstant(ns, tz, 'tttt', 6));
const SEC = 1_000_000_000n;


/** What let the entry be born, one clause. */
export function birthCauseWords(b: BirthCause, tz: string): string {
  const gap = `${(Number(b.gapNs) / 1e9).toFixed(2)} s before its birth`;
  const d = b.destroyed;
  return b.kind === 'user-deletion'
    ? `born after the untranslated entry of the same flow was deleted by ${d.byUser ?? 'a user command'} at ${t(d.at, tz)} (${d.file}:${d.line}, ${gap}${b.sameCommand > 1 ? `; ${b.sameCommand} VRRP entries at once: a flush` : ''})`
    : `born after the untranslated entry of the same flow expired at ${t(d.at, tz)} (${d.file}:${d.line}, ${gap})`;
}

/** The ruleset change between two snapshots, as a diff ("+ nat -A POSTROUTING …", "− nat …"). */
export function shiftLines(s: RulesetShift): string[] {
  return [
    ...s.removed.map((r) => `− ${r.table} ${r.text}  (${s.before.file} line ${r.line})`),
    ...s.added.map((r) => `+ ${r.table} ${r.text}  (${s.after.file} line ${r.line})`),
  ];
}

export function shiftWords(s: RulesetShift, tz: string): string {
  const n = s.added.length + s.removed.length;
  return `the saved ruleset changed between ${s.before.file} (${t(s.before.at, tz)}: ${s.beforeDecision}) and ${s.after.file} (${t(s.after.at, tz)}: ${s.afterDecision})` +
    (n ? `: ${shiftLines(s).map((l) => l.replace(/ {2}\(.*\)$/, '')).join('; ')}` : '');
}

/** The entry's life, one sentence (never "will never expire" for an idle one). */
export function lifeWords(l: EntryLife, router: string | null, tz: string): string {
  const who = router ?? 'its router';
  if (l.state === 'ended') return `the entry ended at ${t(l.refreshedUntil, tz)}`;
  if (l.state === 'refreshed') return `adverts refreshed it to the end of the evidence${l.refreshedUntil !== null ? ` (last at ${t(l.refreshedUntil, tz)})` : ''}: it does not expire while ${who} advertises through conntrack`;
  const why = l.why === 'untracked' ? 'its adverts now skip conntrack (NOTRACK)' : l.why === 'router-stopped' ? `keepalived on ${who} stopped` : `${who} fell silent`;
  const series = l.snapshots?.length
    ? `; ${plural(new Set(l.snapshots.map((s) => s.at)).size, 'snapshot')} show it idle (packets ${andList([...new Set(l.snapshots.map((s) => s.packets ?? '?'))])}, timeout left ${[...new Set(l.snapshots.map((s) => s.timeout))].join(' → ')} s)`
    : '';
  const risk = l.why === 'untracked'
    ? `; if ${who}'s adverts are tracked again before then, they leave translated again`
    : `; if ${who} advertises again (becomes master) before then, its adverts leave translated again`;
  return `refreshed until ${t(l.refreshedUntil, tz)}, idle since (${why})${series}; it expires about ${t(l.expiresAt, tz)} (${l.timeoutS} s later)${risk}`;
}

const HYPOTHESIS: Record<HypothesisKind, string> = {
  'ruleset-changed-between-snapshots': 'the ruleset changed between the snapshots',
  'flush-points-to-reload': 'a conntrack flush just before the birth points to a firewall reload',
  'ruleset-not-saved': 'the rules in force at the birth were never saved (a change and its undo between snapshots)',
  'dropped-conntrack-table-full': 'dropped by conntrack: its table was full',
  'dropped-after-capture-point': 'dropped after the capture point (filter INPUT, conntrack)',
  'stale-unicast-entry-clash': 'a stale translated unicast conntrack entry of its own clashes with the reverse flow, so the kernel drops the peer\'s adverts (conntrack -S: insert_failed, drop)',
  'dropped-by-firewall-rule': 'a saved firewall rule drops them',
  'second-master-unheard': 'another router took MASTER and its adverts never reached this host (not sent — a full conntrack table, a send error — or lost on the way): a split brain',
  'address-conflict': 'a station outside VRRP answers for the address (an address conflict)',
};

const cited = (e: Evidence | undefined) => (e ? ` (${e.file} ${e.locator}: ${captionOf(e)})` : '');

/** The adverts a MASTER's own capture holds and its keepalived never acted on. */
function outrankedWords(o: OutrankedAdverts, host: string, tz: string): string {
  const by = o.tie ? `equal priority ${o.peerPriority} and the higher address` : `priority ${o.peerPriority}, above its ${o.ownPriority}`;
  const stayed = o.leftMasterAt === null ? 'to the end of the evidence' : `until ${t(o.leftMasterAt, tz)}`;
  return `${host}'s own capture shows ${plural(o.adverts, 'valid advert')} of vrid ${o.vrid} from ${o.peer}${o.peerHost ? ` (${o.peerHost})` : ''} to ${o.dst} with ${by} ` +
    `from ${t(o.first.at, tz)} to ${t(o.last.at, tz)} ${tz} (${o.first.file} ${o.first.locator} … ${o.last.locator}), yet its keepalived logged none of them and stayed MASTER ` +
    `(since ${t(o.masterSince, tz)}, ${stayed})`;
}

export function contradictionSummary(c: Contradiction, tz: string): string {
  const [a, b] = c.sides;
  const hyps = c.hypotheses.map((h) => {
    if (h.kind === 'ruleset-changed-between-snapshots' && h.shift) return `hypothesis: ${shiftWords(h.shift, tz)}`;
    if (h.kind === 'flush-points-to-reload' && h.evidence[0]) return `hypothesis: a flush at ${t(h.evidence[0].at, tz)} (${h.evidence[0].file} ${h.evidence[0].locator}) points to a reload`;
    if (h.kind === 'dropped-by-firewall-rule' && h.policy) return `hypothesis: a chain's DROP policy drops them, no rule accepting them${cited(h.evidence[0])}`;
    if (h.kind === 'stale-unicast-entry-clash' || h.kind === 'dropped-by-firewall-rule') return `hypothesis: ${HYPOTHESIS[h.kind]}${cited(h.evidence[0])}`;
    return `hypothesis: ${HYPOTHESIS[h.kind]}`;
  });
  if (c.claim === 'born-translated-under-exempting-rule') {
    return `Contradiction${c.host ? ` on ${c.host}` : ''}: the conntrack entry ${a.file} ${a.locator} was born translated at ${t(a.at, tz)} ${tz}, yet the saved rule in force then (${b.file} ${b.locator}: ${captionOf(b)}) ` +
      `does not translate VRRP — no saved ruleset explains this translation; ${hyps.join('; ')}.`;
  }
  if (c.claim === 'vip-claimed-while-master' && c.vipClaim) {
    const v = c.vipClaim;
    const who = v.macOwner ? `${v.macOwner}'s MAC ${v.mac}` : v.macSender ? `${v.mac} (the MAC ${v.macSender}'s adverts came from)` : v.mac;
    if (v.masterBy === 'wire') {
      return `Contradiction${c.host ? ` on ${c.host}` : ''}: ${v.master}${c.host && c.host !== v.master ? ` (${c.host})` : ''} advertised as master from ${t(v.masterSince, tz)} ${tz} to ${t(v.leftMasterAt, tz)} (${a.file} ${a.locator}), ` +
        `yet the same capture shows ${plural(v.announcements, 'announcement')} of its virtual address ${v.address} at ${who} from ${t(v.first.at, tz)}` +
        `${v.last.at !== v.first.at ? ` to ${t(v.last.at, tz)}` : ''} (${v.first.file} ${v.first.locator}), and no advert from that MAC then — two stations claimed the address; ${hyps.join('; ')}.`;
    }
    return `Contradiction on ${c.host ?? '?'}: its keepalived was MASTER from ${t(v.masterSince, tz)} ${tz} (${a.file} ${a.locator})` +
      (v.leftMasterAt !== null ? ` to ${t(v.leftMasterAt, tz)}` : ' to the end of the evidence') +
      `, yet its own capture shows ${plural(v.announcements, 'announcement')} of its virtual address ${v.address} at ${who} from ${t(v.first.at, tz)}` +
      `${v.last.at !== v.first.at ? ` to ${t(v.last.at, tz)}` : ''} (${v.first.file} ${v.first.locator}) — two stations claimed the address; ${hyps.join('; ')}.`;
  }
  if (c.claim === 'outranked-while-master' && c.outranked) {
    return `Contradiction on ${c.host ?? '?'}: ${outrankedWords(c.outranked, c.host ?? '?', tz)} — they were lost after the capture point; ${hyps.join('; ')}.`;
  }
  return `Contradiction on ${c.host ?? '?'}: its keepalived took MASTER on an advert timeout at ${t(a.at, tz)} ${tz} (${a.file} ${a.locator}), yet its own capture shows ` +
    `a higher-priority master's adverts arriving through that moment (${b.file} ${b.locator}: ${captionOf(b)}) — they were lost after the capture point; ${hyps.join('; ')}.`;
}

export function exhaustionSummary(e: Exhaustion, tz: string): string {
  const span = e.end - e.start >= SEC ? `from ${t(e.start, tz)} to ${t(e.end, tz)} ${tz}` : `at ${t(e.start, tz)} ${tz}`;
  return `Conntrack table full on ${e.host} ${span} (${plural(e.kernelLines, 'kernel line')} "table full, dropping packet"): new flows were dropped, VRRP adverts among them` +
    (e.sendErrors ? `; keepalived could not send its own (${plural(e.sendErrors, '"send advert error" line')})` : '') +
    (e.tookMasterAt !== null ? `; ${e.host} heard no master and took MASTER at ${t(e.tookMasterAt, tz)}` : '') + '.';
}

/** A split brain's line naming the contradictions that show why a side did not yield. */
export function explainedByWords(ids: string[]): string {
  return `Why a side did not yield: ${andList(ids)} (its own capture shows the other's adverts, its keepalived never acted on them)`;
}

/** What silenced the master before a backup's advert timeout, as a transition's reason ends. */
export function timeoutCauseText(c: TimeoutCause): string {
  return c.kind === 'peer-link-down' ? `the master's link went down (${c.host} ${c.interface})` : `a saved firewall rule dropped the master's adverts (${c.file} line ${c.line})`;
}

export function linkDownSummary(l: LinkDown, tz: string): string {
  return `Link ${l.interface} of ${l.host} went down at ${t(l.downAt, tz)} ${tz}${l.kernelLines ? ` (${plural(l.kernelLines, 'kernel link line')})` : ''}` +
    (l.faultAt !== null ? `; its VRRP instance went to FAULT${l.wasMaster ? ' from MASTER' : ''}` : l.wasMaster ? ' while it was MASTER' : '') +
    (l.takeover ? `; ${l.takeover.host} took MASTER on the advert timeout at ${t(l.takeover.at, tz)} (a priority-0 advert cannot leave over a dead link, so it waited the master-down interval)` : '') +
    (l.upAt !== null ? `; the link came back at ${t(l.upAt, tz)}` : '; not back up in the evidence') + '. A cause other than NAT.';
}

export function firewallDropSummary(f: FirewallDrop, tz: string): string {
  const what = f.rule.policy
    ? `The DROP policy of the ${f.rule.table} ${f.rule.chain} chain on ${f.host} drops the VRRP adverts from ${f.from} to ${f.to} (no rule before it accepts them): ${f.rule.file} line ${f.rule.line} (${f.rule.text}, saved ${t(f.savedAt, tz)} ${tz})`
    : `A saved firewall rule on ${f.host} drops the VRRP adverts from ${f.from} to ${f.to}: ${f.rule.file} line ${f.rule.line} (${f.rule.table} ${f.rule.text}, saved ${t(f.savedAt, tz)} ${tz})`;
  return what +
    (f.tookMasterAt !== null ? `; ${f.host} heard no master and took MASTER on the advert timeout at ${t(f.tookMasterAt, tz)}` : '') +
    (f.removed ? `; ${f.rule.policy ? 'VRRP is accepted' : 'the rule is gone'} in ${f.removed.file} (${t(f.removed.at, tz)})` : '; still in the newest saved ruleset') + '. A cause other than NAT.';
}

const STATUS: Record<HostEndState['status'], string> = {
  fixed: 'fixed',
  'still-translating': 'still translating',
  'entry-idle': 'translated entry idle',
  'rules-still-translate': 'untranslated now, but its rules still translate a new entry',
  reverted: 'reverted (no saved ruleset shows it stays so)',
  'table-full': 'conntrack table was full',
  untranslated: 'no translation seen',
};

/** The end state's VRRP column. */
export function endStatusWords(h: HostEndState, tz: string): string {
  const base = STATUS[h.status];
  const until = h.entryIdleUntil === undefined ? '' : h.status === 'entry-idle' ? ` until about ${t(h.entryIdleUntil, tz)}` : `; its stale translated entry idle until about ${t(h.entryIdleUntil, tz)}`;
  return `${base}${until}${h.needsFix ? ' — needs the fix' : ''}`;
}


/** A host already fixed in the evidence: named in the fix section, with what shows it. */
export function fixedWords(h: HostEndState): string {
  return `${h.host} (${h.findings.join(', ')}): fixed in the evidence${h.rules ? ` (${h.rules.file} keeps its adverts ${h.rules.decision})` : ''} — nothing left to do${h.entryIdleUntil !== undefined ? ' but delete its stale entry' : ''}.`;
}

