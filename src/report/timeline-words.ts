import type { RuleChange, TimelineEntry, TimelineFact } from '../model/report.js';
import { plural } from './words.js';

/**
 * The timeline lines the analysis adds (an ended entry, a run of kernel or send-error lines, a saved ruleset and its
 * change), worded from their facts; every other entry says what its line or record says.
 */
export function entrySummary(e: TimelineEntry): string {
  return e.fact ? factText(e.fact, e.change) : e.summary ?? '';
}

function factText(f: TimelineFact, change: RuleChange | undefined): string {
  switch (f.kind) {
    case 'ended-entry': {
      const how = f.how === 'user-deletion'
        ? `deleted by ${f.byUser ?? 'a user command'}${f.sameCommand > 1 ? ` with ${(f.sameCommand === 2 ? '1 other VRRP entry' : `${f.sameCommand - 1} other VRRP entries`)} at once (a flush)` : ''}`
        : 'expired';
      return `conntrack ${f.protocol} ${f.src} > ${f.dst} untranslated (reply to ${f.replyDst}): entry ${how}; the next advert makes a new entry under the rules in force then`;
    }
    case 'side-run': return f.run === 'conntrack-table-full' ? `kernel: conntrack table full, packets dropped (${f.text})` : `keepalived could not send its advert (${f.text})`;
    case 'ruleset': {
      // the first snapshot as its nat rules, each later one as its change from the one before
      const head = `ruleset saved: ${plural(f.rules, 'rule')}`;
      if (!change || change.first) return `${head}${f.nat.map((r) => `; ${r}`).join('')}`;
      const diff = [...change.removed.map((r) => `− ${r.table} ${r.text}`), ...change.added.map((r) => `+ ${r.table} ${r.text}`)];
      return `${head}; ${diff.length ? `changed: ${diff.join('; ')}` : 'no change'}`;
    }
  }
}

/** A timeline entry as the JSON contract gives it: `summary` in words where `fact` stands, the fact after it. */
export function entryJson(e: TimelineEntry): Record<string, unknown> {
  if (!e.fact) return e as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'fact') out.summary = entrySummary(e);
    out[k] = v;
  }
  return out;
}
