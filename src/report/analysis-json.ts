import { toRfc3339 } from '../model/instant.js';
import { buildBrief, type Brief } from './brief.js';
import type { ClockOffset, Finding, InputSummary, Report, TimelineEntry } from '../model/report.js';
import { clockNote, findingSummary, inputNote, inputProblems, reasonText, reportWarnings, sameRouterText } from './analysis-words.js';

/** Keys whose bigint is a duration, not an instant. */
const DURATIONS = new Set(['offsetNs']);

/**
 * The report as the JSON contract: every instant an RFC 3339 UTC string with nine fractional digits, durations as
 * integer nanoseconds in a string (exact beyond 2^53).
 */
export function reportJson(r: Report | Report['timeline'], opts: { brief?: boolean } = {}): string {
  // the brief's facts first (an added field: the contract only grows); with --brief, alone
  const doc = Array.isArray(r) ? r.map(entryJson) : withBrief(r, opts.brief);
  return JSON.stringify(doc, (k, v) => (typeof v === 'bigint' ? (DURATIONS.has(k) ? v.toString() : toRfc3339(v)) : v), 2) + '\n';
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
 */
function worded(rest: Omit<Report, 'schema'>, r: Report): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'incidents') out.warnings = reportWarnings(r);
    else if (k === 'clocks') out.clocks = r.clocks.map(clockJson);
    else out[k] = k === 'inputs' ? r.inputs.map(inputJson) : k === 'findings' ? r.findings.map((f) => findingJson(f, r.timezone)) : k === 'timeline' ? r.timeline.map(entryJson) : v;
  }
  return out;
}

function clockJson(c: ClockOffset): Record<string, unknown> {
  const { suspect: _suspect, ...rest } = c;
  return c.suspect ? { ...rest, note: clockNote(c) } : rest;
}

/** A timeline entry as JSON: its summary already names an advert run's source. */
function entryJson(e: TimelineEntry): Omit<TimelineEntry, 'src'> {
  const { src: _src, ...rest } = e;
  return rest;
}

function findingJson(f: Finding, tz: string): Record<string, unknown> {
  const { reason: _reason, ...rest } = f;
  const out: Record<string, unknown> = { ...rest, summary: findingSummary(f) };
  if (f.sameRouter) out.sameRouter = f.sameRouter.map((s) => sameRouterText(s, tz));
  if (f.transitions) out.transitions = f.transitions.map((t) => (t.reason ? { ...t, reason: reasonText(t.reason) } : t));
  return out;
}

function inputJson(i: InputSummary): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(i)) {
    if (k === 'notes') out.note = inputNote(i);
    else if (k === 'problems') out.problems = inputProblems(i);
    else if (k !== 'undecoded' && k !== 'outOfOrder') out[k] = v;
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
