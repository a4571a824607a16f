import { toRfc3339 } from '../model/instant.js';
import { buildBrief, type Brief } from './brief.js';
import type { Report } from '../model/report.js';

/** Keys whose bigint is a duration, not an instant. */
const DURATIONS = new Set(['offsetNs', 'gapNs', 'splitNs']);

/**
 * The report as the JSON contract: every instant an RFC 3339 UTC string with nine fractional digits, durations as
 * integer nanoseconds in a string (exact beyond 2^53).
 */
export function reportJson(r: Report | Report['timeline'], opts: { brief?: boolean } = {}): string {
  // the brief's facts first (an added field: the contract only grows); with --brief, alone
  const doc = Array.isArray(r) ? r : withBrief(r, opts.brief);
  return JSON.stringify(doc, (k, v) => (typeof v === 'bigint' ? (DURATIONS.has(k) ? v.toString() : toRfc3339(v)) : v), 2) + '\n';
}

function withBrief(r: Report, alone?: boolean): unknown {
  const { schema, ...rest } = r;
  const brief = briefJson(buildBrief(r));
  return alone ? { schema, timezone: r.timezone, root: r.root, brief } : { schema, brief, ...rest };
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
