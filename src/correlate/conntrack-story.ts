import type { ContradictionFinding, Evidence, Finding, TranslationFinding } from '../model/report.js';
import type { Contradiction } from '../model/story.js';
import { verdictFor } from '../sources/config/packet-path.js';
import { birthCause, rulesetShift, type Born, type HostFlow } from './birth-cause.js';
import { entryLife } from './entry-life.js';
import type { RuleSnapshot } from './findings.js';
import type { TimelineCollector } from './timeline.js';

export interface StoryContext {
  flows: (HostFlow & { text?: string })[];
  /** in time order */
  rules: RuleSnapshot[];
  /** keepalived stops, per host */
  stops: { host: string; at: bigint }[];
  /** the end of the evidence */
  end: bigint | null;
  timeline: TimelineCollector;
}

/** contradiction findings → the translation each one questions (linked by id once ids are given) */
export const questions = new WeakMap<Finding, TranslationFinding>();

/**
 * The conntrack side of each translation's story, from typed facts: what let its entry be born (the untranslated
 * entry deleted or expired just before — kept in the timeline), the saved ruleset change around the birth, the entry's
 * life (refreshed, idle until it expires, ended), and the contradiction when the saved rule in force at the birth
 * exempts VRRP. Returns the contradiction findings.
 */
export function conntrackStory(translated: TranslationFinding[], x: StoryContext): ContradictionFinding[] {
  const out: ContradictionFinding[] = [];
  const kept = new Set<string>();
  for (const f of translated) {
    const c = f.conntrack;
    if (!c) continue;
    const flow = x.flows.find((fl) => (fl.born ?? fl.first).file === c.file && (fl.born ?? fl.first).line === c.line);
    if (!flow) continue;
    const host = flow.host ?? f.router;
    const born: Born = { host: flow.host, protoNum: flow.protoNum, src: flow.orig.src, dst: flow.orig.dst, at: c.createdAt ?? f.firstSeen ?? 0n };
    const cause = c.createdAt !== null ? birthCause(x.flows, born) : null;
    if (cause) {
      c.birthCause = cause;
      // the ended untranslated entry is part of the story: in the timeline, once
      const d = cause.destroyed;
      if (d.at !== null && !kept.has(`${d.file}:${d.line}`)) {
        kept.add(`${d.file}:${d.line}`);
        x.timeline.add({
          at: d.at, host, source: 'conntrack', kind: 'conntrack-destroyed', file: d.file, locator: `line ${d.line}`,
          fact: { kind: 'ended-entry', protocol: flow.protoName, src: flow.orig.src, dst: flow.orig.dst, replyDst: cause.previousReplyDst, how: cause.kind, ...(d.byUser !== undefined ? { byUser: d.byUser } : {}), sameCommand: cause.sameCommand },
        });
      }
    }
    const snaps = x.rules.filter((r) => r.host === host);
    const rs = c.createdAt !== null ? rulesetShift(snaps, born) : null;
    if (rs?.shift) c.rulesetShift = rs.shift;
    const newest = snaps.at(-1);
    const untracked = newest ? verdictFor(newest.rules, { src: born.src, dst: born.dst, proto: born.protoNum }).decision === 'untracked' : false;
    const lastAdvert = f.adverts !== undefined && f.lastSeen !== undefined ? f.lastSeen : null;
    const stop = x.stops.filter((s) => s.host === host && lastAdvert !== null && s.at >= lastAdvert).sort((a, b) => (a.at < b.at ? -1 : 1))[0];
    c.life = entryLife(flow, { lastAdvert, stoppedAt: stop?.at ?? null, end: x.end, untracked });
    if (rs && rs.decision !== 'translated' && c.createdAt !== null) out.push(bornUnderExemption(f, rs, cause));
  }
  return out;
}

/**
 * The saved rule in force when the entry was born does not translate VRRP, yet the entry was born translated: stated
 * as a contradiction, both sides cited, with what could explain it labelled as hypotheses.
 */
function bornUnderExemption(f: TranslationFinding, rs: NonNullable<ReturnType<typeof rulesetShift>>, cause: ReturnType<typeof birthCause>): ContradictionFinding {
  const c = f.conntrack!;
  const entry: Evidence = { file: c.file, locator: `line ${c.line}`, at: c.createdAt, text: c.text };
  const ruleLine = c.rule && c.rule.file === rs.inForce.file ? c.rule : null;
  const rule: Evidence = { file: rs.inForce.file, locator: `line ${ruleLine?.line ?? 1}`, at: rs.inForce.at, ...(ruleLine ? { text: ruleLine.text } : { text: '', role: { kind: 'no-translating-rule', decision: rs.decision } }) };
  const hypotheses: Contradiction['hypotheses'] = [];
  if (rs.shift) {
    hypotheses.push({ kind: 'ruleset-changed-between-snapshots', shift: rs.shift, evidence: [{ file: rs.shift.after.file, locator: 'line 1', at: rs.shift.after.at, text: '', role: { kind: 'ruleset-decision', decision: rs.shift.afterDecision } }] });
  } else {
    hypotheses.push({ kind: 'ruleset-not-saved', evidence: [] });
  }
  if (cause?.kind === 'user-deletion') {
    const d = cause.destroyed;
    hypotheses.push({ kind: 'flush-points-to-reload', evidence: [{ file: d.file, locator: `line ${d.line}`, at: d.at, text: `[DESTROY] … [USERSPACE]${d.byUser ? ` ${d.byUser}` : ''}` }] });
  }
  const contradiction: Contradiction = { claim: 'born-translated-under-exempting-rule', host: f.router, sides: [entry, rule], hypotheses };
  const out: ContradictionFinding = {
    id: '', kind: 'contradiction', severity: 'warning', vrid: f.vrid, router: f.router, start: c.createdAt ?? undefined, end: null,
    contradiction, evidence: [entry, rule, ...hypotheses.flatMap((h) => h.evidence)],
  };
  questions.set(out, f);
  return out;
}

/** Once ids are given: each contradiction names the translation it questions. */
export function linkQuestions(findings: Finding[]): void {
  for (const f of findings) {
    const about = questions.get(f);
    if (about && f.kind === 'contradiction') f.about = about.id;
  }
}
