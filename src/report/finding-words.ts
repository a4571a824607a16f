import { formatInstant } from '../model/instant.js';
import type {
  Basis, Confidence, ConntrackCause, Finding, SameRouterFact, Transition, MasterChangeFinding, Persistence, Remedy, RemedyStep, RuleChangeEffect, SplitBrainFinding, SplitCause, SplitWhy,
  TranslationFinding, UnexplainedTakeover, WireChangeRule,
} from '../model/report.js';
import { AH_WHY, reasonText } from './analysis-words.js';
import { staleText } from './conntrack-words.js';
import { plural } from './words.js';
import { contradictionSummary, exhaustionSummary, firewallDropSummary, linkDownSummary } from './story-words.js';

/**
 * Every finding's sentences — its summary, a split brain's cause, why a translated entry persisted, what a later
 * ruleset did, the remedy's lines — written from the typed facts (model/report.ts), in the display zone. The engine
 * writes none of them.
 */
const t = (ns: bigint | null | undefined, tz: string) => (ns === null || ns === undefined ? '?' : formatInstant(ns, tz, 'tttt', 6));

/** What a summary may need besides the finding: the display zone, and the other findings its links name. */
export interface Wording {
  tz: string;
  findings: readonly Finding[];
}

/** A finding's summary as shown, in the display zone. */
export function findingSummary(f: Finding, w: Wording): string {
  const tz = w.tz;
  switch (f.kind) {
    case 'vrrp-source-translated': return `${translationStem(f, tz)}${effectWords(f)}.`;
    case 'split-brain': return splitSummary(f, w);
    case 'advert-storm':
      return f.lines !== undefined
        ? `Election storm on ${f.router}: ${f.lines} "forcing new election" lines from ${t(f.start, tz)} to ${t(f.end, tz)} ${tz}, peak ${f.peakRate} per second.`
        : `Advert storm on vrid ${f.vrid}: ${f.adverts} adverts from ${t(f.start, tz)} to ${t(f.end, tz)} ${tz}, peak ${f.peakRate} per advert interval (expected about one per sender).`;
    case 'master-change': return masterChangeSummary(f, tz);
    case 'resignation':
      return `${f.router}${f.router !== f.src ? ` (${f.src})` : ''} resigned as master of vrid ${f.vrid} at ${t(f.start, tz)} ${tz}: a priority-0 advert (keepalived stopping or its instance leaving MASTER); a backup takes over after its skew time, not the full master-down interval.`;
    case 'carp-source-translated':
      return `CARP adverts of vhid ${f.vhid} left as ${f.translatedSource}, a NAT address, not as ${f.originalSource ?? f.router ?? 'a member'}'s own address (${f.adverts} adverts in ${f.file} from ${t(f.firstSeen, tz)} to ${t(f.lastSeen, tz)} ${tz}): outbound NAT rewrote the CARP member's source, as it does to VRRP adverts behind a catch-all SNAT — exempt IP protocol 112 from NAT and tracking.`;
    case 'conntrack-exhaustion': return exhaustionSummary(f.exhaustion, tz);
    case 'contradiction': return contradictionSummary(f.contradiction, tz);
    case 'link-down': return linkDownSummary(f.linkDown, tz);
    case 'firewall-drop': return firewallDropSummary(f.firewallDrop, tz);
    case 'unexplained-takeover': return unexplainedTakeoverSummary(f.takeover, tz);
  }
}

/** An unplanned failover: who took over, who went silent and when, and what the evidence lacks to say why. */
function unexplainedTakeoverSummary(u: UnexplainedTakeover, tz: string): string {
  const m = u.master;
  const who = m.router ? `${m.router} (${m.src})` : m.src;
  const logs = u.masterLogs === 'absent'
    ? `${m.router ? `${m.router}'s` : 'its'} logs are not in the evidence`
    : `${m.router}'s logs record no state change or stop between its last advert and the takeover`;
  const heard = m.heardBy === 'capture'
    ? `the master ${who} advertised${m.vrid !== null ? ` vrid ${m.vrid}` : ''} until ${t(m.lastAt, tz)} (${m.file} ${m.locator}, ${plural(m.adverts ?? 1, 'advert')} in that run) ` +
      'and then went silent without a priority-0 advert, so it did not resign'
    : `${u.host} had yielded to the master ${who} at ${t(m.lastAt, tz)} (${m.file} ${m.locator}) and logged no state change since, so that master's adverts stopped reaching it ` +
      'without a priority-0 advert (which would have been a resignation, not a timeout)';
  return `${u.host} took MASTER${u.instance ? ` for ${u.instance}` : ''} at ${t(u.at, tz)} ${tz} (${u.file}:${u.line}) on an advert timeout: ${heard}. Nothing in the evidence says why: ${logs}. ` +
    'An unplanned failover: look for what silenced the master (keepalived killed or crashed, the host or its link down, its adverts dropped on the way).';
}

/** A translation up to its effect on elections, by where it was seen. */
function translationStem(f: TranslationFinding, tz: string): string {
  const T = f.translatedSource;
  const original = f.originalSource;
  const s = f.sighting;
  if (s.by === 'wire') {
    const c = f.conntrack;
    const quiet = s.quiet?.kind === 'left-master' ? `${f.router} left MASTER at ${t(s.quiet.at, tz)} (${s.quiet.file}:${s.quiet.line})`
      : s.quiet?.kind === 'stopped' ? `keepalived on ${f.router} stopped at ${t(s.quiet.at, tz)}` : null;
    return `VRRP adverts of ${f.router ? `${f.router} (vrid ${f.vrid}, ${original})` : `${original} (vrid ${f.vrid})`} left with the translated source ${T} ` +
      `from ${t(f.firstSeen, tz)} to ${t(f.lastSeen, tz)} ${tz} (${f.adverts} adverts)` +
      (c ? `, because conntrack entry ${c.file}:${c.line} (${c.relation.replace(/-/g, ' ')}) sends them through SNAT` : '') +
      (f.revertedAt !== null ? `; reverted at ${t(f.revertedAt, tz)}` : quiet ? `; no advert after it: ${quiet}` : '; not reverted in the evidence');
  }
  if (s.by === 'conntrack') {
    const c = f.conntrack!;
    return `VRRP${s.protocol === 51 ? ' (AH)' : ''} adverts of ${f.router ? `${f.router} (${original}${f.vrid !== null ? `, vrid ${f.vrid}` : ''})` : original} to ${s.dst} ${c.destroyed ? 'left' : 'leave'} with the translated source ${T}: ` +
      `conntrack entry ${c.file}:${c.line} says so on its own (its reply tuple names ${T}, neither endpoint)` +
      (c.createdAt === null ? '' : c.createdAtFrom === 'estimate' ? `, in the table by ${t(c.createdAt, tz)} ${tz}` : `, created ${t(c.createdAt, tz)} ${tz}`);
  }
  return `${s.host}'s keepalived heard VRRP adverts${f.vrid !== null ? ` of vrid ${f.vrid}` : ''} from ${T}, which is not on its VRRP link` +
    (f.router ? ` (${f.router}${original ? `, really ${original}` : ''})` : ' and no router\'s address in the evidence') +
    ` — a router's adverts leaving with a translated source, from ${t(f.firstSeen, tz)} to ${t(f.lastSeen, tz)} ${tz}` +
    (s.dropped ? `; ${s.host} dropped them` : '');
}

/** What a translation did to elections (the first split brain it caused named). */
function effectWords(f: TranslationFinding): string {
  const changed = f.election === 'changed' || f.electionBeforeSplit === 'changed' ? '; it changed the election' : '';
  if (f.election === 'split-brain') return `${changed}; it split the brain (${f.led![0]})`;
  if (f.election === 'by-priority') return '; the peer saw the wrong address, but the election went by priority as it would have untranslated';
  return changed;
}

/** keepalived's line for each kind of dropped advert, as its log has it */
const DROP_WORDS = { 'invalid-checksum': '"Invalid VRRPv3 checksum"', 'ah-rejected': '"IPSEC-AH : invalid IPSEC HMAC"', 'not-unicast-peer': '"not a unicast peer"' } as const;

function splitSummary(f: SplitBrainFinding, w: Wording): string {
  const tz = w.tz;
  const span = f.end === null ? `${t(f.start, tz)} ${tz} to the end of the evidence` : `${t(f.start, tz)} to ${t(f.end, tz)} ${tz}`;
  const s = f.seenBy;
  const head = s
    ? `Split brain${f.vrid !== null ? ` on vrid ${f.vrid}` : ''}: ${s.host} was MASTER from ${span} while its keepalived kept dropping the adverts of ` +
      `${f.hosts.find((h) => h !== s.host) ?? 'another router'}${s.peer && !f.hosts.includes(s.peer) ? ` (${s.peer})` : ''} (${s.lines} ${DROP_WORDS[s.drop]} line${s.lines === 1 ? '' : 's'}, first ${s.file}:${s.line}) — only a master advertises, so two were master at once`
    : `Split brain${f.vrid !== null ? ` on vrid ${f.vrid}` : ''}: ${f.hosts.join(' and ')} were master at once from ${span}`;
  if (!f.cause) return `${head}.`;
  // the translations behind it, by their links
  const ids = [f.causedBy, ...(f.alsoCausedBy ?? [])];
  const causes = ids.map((id) => w.findings.find((c) => c.id === id)).filter((c): c is TranslationFinding => c?.kind === 'vrrp-source-translated');
  return `${head}, caused by ${causes.map((c) => `the translated source ${c.translatedSource} of ${c.router ?? c.originalSource ?? 'a router'} (${c.id})`).join(' and ')}.`;
}

/** Why the other master of a split brain did not yield: `Cause:` in every format, `cause` in JSON. */
export function splitCauseText(c: SplitCause, tz: string): string {
  return `the adverts of ${c.sender ?? `the sender of ${c.translated}`} carry ${c.translated}: ${splitWhyText(c.why, tz)}`;
}

function splitWhyText(y: SplitWhy, tz: string): string {
  switch (y.kind) {
    case 'dropped': {
      const n = `${y.lines} line${y.lines === 1 ? '' : 's'} from ${t(y.start, tz)} to ${t(y.end, tz)}, first ${y.file}:${y.line}`;
      if (y.by === 'ah-rejected') return `${y.host} drops them as failing IPSEC-AH (${AH_WHY}; ${n}), so it never hears the master and stays MASTER too`;
      if (y.by === 'invalid-checksum') return `${y.host} drops them as invalid VRRPv3 checksums (the checksum covers the source address; ${n}) and never hears the master`;
      return `${y.host} drops them: ${y.peer ?? 'the translated address'} is not one of its unicast peers (${n})`;
    }
    case 'checksum-transitions': return 'the peer drops them as invalid VRRPv3 checksums and never hears the master';
    case 'unequal-priorities': return `the priorities differ (${y.priorities.join(' vs ')}), so one router should have yielded; no log line in the evidence says why it did not hear the other`;
    case 'tie-break': return 'with equal priorities each router breaks the tie on a different pair of addresses, so neither yields';
  }
}

/** Each wire rule in words (the rule itself travels as changeRule). */
const CHANGE_RULE: Record<WireChangeRule, (c: { from: string; to: string; fromPriority?: number; toPriority?: number }) => string> = {
  'old-sender-silent': (c) => `${c.from} sent nothing for three advert intervals after ${c.to}'s first advert`,
  preempted: (c) => `preemption: ${c.to}'s priority ${c.toPriority} is above ${c.from}'s ${c.fromPriority}, and ${c.from} stopped advertising within the master-down interval (3 × advert interval + skew) while ${c.to} kept on`,
  'after-resignation': (c) => `${c.from} resigned with a priority-0 advert and ${c.to} took over`,
  'higher-priority-at-capture-end': (c) => `the capture ends before three silent intervals, but ${c.to}'s priority ${c.toPriority} is above ${c.from}'s ${c.fromPriority} and ${c.to} advertised after ${c.from}'s last advert`,
};

function masterChangeSummary(f: MasterChangeFinding, tz: string): string {
  const s = f.seen;
  if (s.by === 'wire') {
    const c = { from: s.from, to: s.to, fromPriority: f.fromPriority, toPriority: f.toPriority };
    return `Master of vrid ${f.vrid} changed from ${s.from} to ${s.to} at ${t(f.start, tz)} ${tz}${f.changeRule ? ` (${CHANGE_RULE[f.changeRule](c)})` : ''}.`;
  }
  if (s.by === 'flapping') return `${s.omitted} more master changes from ${t(f.start, tz)} to ${t(f.end, tz)} ${tz} are not listed (${s.total} in all: the mastership is flapping).`;
  const head = `${s.host ?? '?'} became MASTER${s.instance ? ` for ${s.instance}` : ''} at ${t(f.start, tz)} ${tz}`;
  return f.reason ? `${head}: ${reasonText(f.reason)}.` : `${head}.`;
}

/** Why a translated entry kept translating, one sentence. */
export function persistenceText(p: Persistence): string {
  switch (p.kind) {
    case 'refreshed': return `the entry is refreshed by every advert (advert_int ≪ the ${p.timeoutS} s generic timeout), so it does not expire while the router advertises`;
    case 'reader': return staleText(p.stale);
    case 'renewed':
      return `deleting it (${p.deleted.file}:${p.deleted.line}) did not help: ${(Number(p.gapNs) / 1e9).toFixed(2)} s later the next advert made it again, translated ` +
        `the same way (${p.next.file}:${p.next.line}) — the nat rule still matched${p.times > 1 ? ` (${p.times} times in all)` : ''}` +
        (p.end ? `; the translation ended when the last one was ${p.end.byUser ? 'deleted' : 'destroyed'} (${p.end.file}:${p.end.line})` : '');
  }
}

/** What a later saved ruleset did for the entry, as its `note`. */
export function ruleChangeNote(ch: NonNullable<ConntrackCause['ruleChanges']>[number], tz: string): string {
  const e: RuleChangeEffect = ch.effect;
  switch (e.kind) {
    case 'still-translates': return e.ahOnly ? 'still translates: its VRRP rules do not match these adverts, which are AH (protocol 51, keepalived auth_type AH)' : 'still translates VRRP';
    case 'too-late':
      return `${e.untracked ? 'NOTRACK' : 'an exemption'} (line ${e.ruleLine ?? '?'}) added while the entry existed: nat rules are consulted only when an entry is created, so the existing entry kept translating until ${t(e.until, tz)}`;
    case 'from-here': return `${ch.decision} from here on (line ${e.ruleLine ?? '?'})`;
  }
}

/** A remedy line that starts so says the same step another way: the full report shows it, the one-screen verdict not. */
const ALTERNATIVE = '# or, with nft: ';

/** The remedy as the lines every format prints (shell comments and commands); `alternatives: false` for the verdict. */
export function remedyLines(r: Remedy, opts: { alternatives?: boolean } = {}): string[] {
  const out = [remedyHeading(r)];
  for (const s of r.steps) {
    out.push(stepHeading(s, r));
    for (const c of s.commands) {
      if (c.alternative) {
        if (opts.alternatives !== false) out.push(`${ALTERNATIVE}${c.command}`);
      } else out.push(`${c.command}${c.alreadyIn ? `  # already in ${c.alreadyIn.file} line ${c.alreadyIn.line}` : ''}`);
    }
    if (s.nothingTo) out.push(s.nothingTo.missing === 'input-chain' ? `# (no input filter chain in ${s.nothingTo.file}: nothing drops it)` : `# (no SNAT or masquerade rule in ${s.nothingTo.file})`);
  }
  return out;
}

function remedyHeading(r: Remedy): string {
  switch (r.for.kind) {
    case 'translation': return `# on ${r.for.router} (${r.for.original}); its VRRP adverts leave as ${r.for.translated}`;
    case 'exhaustion': return `# on ${r.for.host}: its conntrack table was full, and new flows (VRRP adverts among them) were dropped`;
    case 'link': return `# on ${r.for.host}: its link ${r.for.interface} went down and VRRP went with it (not NAT)`;
    case 'firewall-rule': return `# on ${r.for.host}: ${r.for.file} line ${r.for.line} drops the VRRP adverts from ${r.for.from} (not NAT)`;
  }
}

function stepHeading(s: RemedyStep, r: Remedy): string {
  const N = (s.protocol ?? 'vrrp').toUpperCase();
  const nft = s.syntax === 'nft';
  switch (s.action) {
    case 'make-room': return `# ${s.n}. see what fills the table, and give it room (persist in /etc/sysctl.d/)`;
    case 'notrack':
      if (r.for.kind === 'exhaustion') return `# ${s.n}. do not track ${N}: its adverts then never need a slot`;
      return nft ? `# ${s.n}. do not track ${N} (raw priority: before conntrack)` : `# ${s.n}. do not track ${N}`;
    case 'accept-untracked': return nft ? `# ${s.n}. accept the now untracked ${N} in the input filter` : `# ${s.n}. accept the now UNTRACKED ${N} in filter INPUT`;
    case 'exempt-from-snat': return nft ? `# ${s.n}. keep ${N} out of SNAT: accept it first in the chain that translates` : `# ${s.n}. exempt ${N} from SNAT (or restrict the SNAT rule to the uplink with -o)`;
    case 'delete-entry': return `# ${s.n}. then delete the stale entry (the next advert is untracked and leaves with its real source)`;
    case 'check-link': return `# ${s.n}. find why the link dropped: cable, switch port, NIC or driver (errors, carrier changes)`;
    case 'damp-flapping': return `# ${s.n}. if it flaps, keep mastership from flapping with it: preempt_delay (or nopreempt) in the vrrp_instance`;
    case 'accept-vrrp': return nft ? `# ${s.n}. accept VRRP before any drop (in the chain that holds the rule), then delete the rule by its handle` : `# ${s.n}. accept VRRP before any drop`;
    case 'remove-rule': return `# ${s.n}. take the dropping rule out (and out of the saved ruleset the firewall loads at boot)`;
  }
}

/** The parts of a finding every format shows after its summary, worded where they are words (absent: not its kind's). */
export interface FindingParts {
  sameRouter?: SameRouterFact[];
  recoveredSource?: string;
  cause?: string;
  conntrack?: ConntrackCause | null;
  transitions?: Transition[];
  remedy?: string[];
  confidence?: Confidence;
  basis?: Basis[];
}

export function findingParts(f: Finding, tz: string): FindingParts {
  switch (f.kind) {
    case 'vrrp-source-translated':
      return {
        sameRouter: f.sameRouter, recoveredSource: f.recoveredSource, conntrack: f.conntrack, transitions: f.transitions,
        remedy: f.remedy && remedyLines(f.remedy), confidence: f.confidence, basis: f.basis,
      };
    case 'split-brain': return { cause: f.cause && splitCauseText(f.cause, tz) };
    case 'master-change': return { transitions: f.transitions };
    case 'conntrack-exhaustion':
    case 'link-down':
    case 'firewall-drop':
      return { remedy: remedyLines(f.remedy) };
    default: return {};
  }
}
