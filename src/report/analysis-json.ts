import { toRfc3339 } from '../model/instant.js';
import { buildBrief, type Brief } from './brief.js';
import { birthNote, staleText } from './conntrack-words.js';
import { captionOf } from './evidence-words.js';
import type { ClockOffset, ConntrackCause, Evidence, Finding, InputSummary, Remedy, Report, SameRouterFact, SplitCause, Transition } from '../model/report.js';
import { clockNote, inputNote, inputProblems, reasonText, reportWarnings, sameRouterText } from './analysis-words.js';
import { entryJson } from './timeline-words.js';
import { findingSummary, persistenceText, remedyLines, ruleChangeNote, splitCauseText } from './finding-words.js';

/** Keys whose bigint is a duration, not an instant. */
const DURATIONS = new Set(['offsetNs', 'gapNs', 'splitNs']);

/**
 * The report as the JSON contract: every instant an RFC 3339 UTC string with nine fractional digits, durations as
 * integer nanoseconds in a string (exact beyond 2^53).
 */
export function reportJson(r: Report | Report['timeline'], opts: { brief?: boolean } = {}): string {
  // the brief's facts first (an added field: the contract only grows); with --brief, alone
  const doc = Array.isArray(r) ? r.map(entryJson) : withBrief(r, opts.brief);
  return JSON.stringify(doc, (k, v: unknown) => (typeof v === 'bigint' ? (DURATIONS.has(k) ? v.toString() : toRfc3339(v)) : isCited(v) ? { ...v, text: captionOf(v) } : v), 2) + '\n';
}

/** Evidence cited for a reason: its `text` in the contract is the caption, the line with why it is cited; `role` follows. */
function isCited(v: unknown): v is Evidence & { role: object } {
  return typeof v === 'object' && v !== null && 'locator' in v && 'text' in v && 'role' in v && typeof v.role === 'object' && v.role !== null;
}

function withBrief(r: Report, alone?: boolean): unknown {
  const { schema, ...rest } = r;
  const brief = briefJson(buildBrief(r));
  return alone ? { schema, timezone: r.timezone, root: r.root, brief } : { schema, brief, ...worded(rest, r) };
}

/**
 * Typed facts worded into the string fields the contract has always had, each in its place: an input's notes as
 * `note`, its warnings among its `problems`, the several-incidents fact as `warnings`, a translation's same-router
 * facts and its transitions' reasons as sentences, a master change's reason in its summary, a clock's suspicion as `note`.
 * The typed facts themselves follow under keys of their own (the contract grows, never renames): `incidents`, an
 * input's `notes`/`undecoded`/`outOfOrder`, a finding's `reasonFact` and `sameRouterFacts`, a transition's
 * `reasonFact`, a clock's `suspect`, a timeline entry's `src`.
 */
function worded(rest: Omit<Report, 'schema'>, r: Report): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'incidents') {
      out.warnings = reportWarnings(r);
      out.incidents = v;
    }
    else if (k === 'clocks') out.clocks = r.clocks.map(clockJson);
    else out[k] = k === 'inputs' ? r.inputs.map(inputJson) : k === 'findings' ? r.findings.map((f) => findingJson(f, r)) : k === 'timeline' ? r.timeline.map(entryJson) : v;
  }
  return out;
}

function clockJson(c: ClockOffset): ClockOffset & { note?: string } {
  return c.suspect ? { ...c, note: clockNote(c) } : c;
}


/**
 * The key a finding's summary has always followed in the JSON, per kind (the engine writes no summary); a kind not
 * listed (a new one) has it after `router`.
 */
const SUMMARY_AFTER: Partial<Record<Finding['kind'], string>> = {
  'split-brain': 'hosts', 'advert-storm': 'hosts', 'master-change': 'end', resignation: 'end', 'carp-source-translated': 'adverts',
};

/**
 * A finding as the contract gives it: its summary worded in at its place, a split brain's `cause`, the `remedy` lines
 * and a conntrack entry's `persistence` and rule-change `note`s worded in theirs, each typed fact beside its words
 * (`causeFact`, `remedyPlan`, `persistenceFact`, `effect`) or after them (`sameRouterFacts`, `reasonFact`).
 */
function findingJson(f: Finding, r: Report): Record<string, unknown> {
  const tz = r.timezone;
  const summary = findingSummary(f, { tz, findings: r.findings });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    // a master change's reason is in its summary's words; the typed reason follows as reasonFact
    if (k === 'reason') continue;
    if (k === 'sameRouter') out.sameRouter = (v as SameRouterFact[]).map((s) => sameRouterText(s, tz));
    else if (k === 'transitions') out.transitions = (v as Transition[]).map((t) => (t.reason ? { ...t, reason: reasonText(t.reason), reasonFact: t.reason } : t));
    else if (k === 'cause') {
      out.cause = splitCauseText(v as SplitCause, tz);
      out.causeFact = v;
    } else if (k === 'remedy') {
      out.remedy = remedyLines(v as Remedy);
      out.remedyPlan = v;
    } else if (k === 'conntrack') out.conntrack = v && conntrackJson(v as ConntrackCause, tz);
    else out[k] = v;
    if (k === (SUMMARY_AFTER[f.kind] ?? 'router')) out.summary = summary;
  }
  out.summary ??= summary;
  if (f.kind === 'vrrp-source-translated' && f.sameRouter) out.sameRouterFacts = f.sameRouter;
  if (f.kind === 'master-change' && f.reason) out.reasonFact = f.reason;
  return out;
}

/** A conntrack entry with its persistence and each later ruleset's effect worded, the facts beside. */
function conntrackJson(c: ConntrackCause, tz: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === 'persistence') {
      const p = c.persistence!;
      out.persistence = persistenceText(p);
      // the reader's staleness was once given as its words, `text`: kept, the fact follows as `stale`
      out.persistenceFact = p.kind === 'reader' ? { kind: p.kind, text: staleText(p.stale), stale: p.stale } : p;
    } else if (k === 'createdAtDetail') {
      out.createdAtNote = birthNote(c.createdAtDetail!);
      out.createdAtDetail = v;
    } else if (k === 'ruleChanges') out.ruleChanges = c.ruleChanges!.map(({ effect, ...ch }) => ({ ...ch, note: ruleChangeNote({ ...ch, effect }, tz), effect }));
    else out[k] = v;
  }
  return out;
}

function inputJson(i: InputSummary): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(i)) {
    if (k === 'notes') {
      out.note = inputNote(i);
      out.notes = v;
    } else if (k === 'problems') out.problems = inputProblems(i);
    else out[k] = v;
  }
  return out;
}

/** The brief's facts for JSON: findings by id (they are in `findings`), the cause by its citation. */
function briefJson(b: Brief): unknown {
  const { happened, cause, causes, ...rest } = b;
  const cite = (c: Brief['causes'][number]) => ({ finding: c.finding.id, file: c.file, locator: c.locator, text: c.text, at: c.at });
  return {
    ...rest, happened: happened.map((f) => f.id),
    cause: cause ? cite(cause) : null, causes: causes.map(cite),
    impact: { ...b.impact, splitBrainNs: b.impact.splitBrainNs === null ? null : b.impact.splitBrainNs.toString() },
  };
}
