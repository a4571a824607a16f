import type { BirthCause } from '../model/story.js';
import type { RuleChange } from '../model/report.js';
import type { SideLineKind } from '../sources/syslog/kernel-lines.js';

/**
 * The timeline lines the story adds (an ended entry, a run of kernel or send-error lines, a ruleset snapshot's change),
 * written where the engine writes its other timeline lines; finding summaries are worded at the edge (report/).
 */
const count = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** A timeline line for the untranslated entry that ended just before a translated one was born. */
export function endedEntrySummary(e: { protocol: string; src: string; dst: string; replyDst: string; kind: BirthCause['kind']; byUser?: string; sameCommand: number }): string {
  const how = e.kind === 'user-deletion'
    ? `deleted by ${e.byUser ?? 'a user command'}${e.sameCommand > 1 ? ` with ${(e.sameCommand === 2 ? '1 other VRRP entry' : `${e.sameCommand - 1} other VRRP entries`)} at once (a flush)` : ''}`
    : 'expired';
  return `conntrack ${e.protocol} ${e.src} > ${e.dst} untranslated (reply to ${e.replyDst}): entry ${how}; the next advert makes a new entry under the rules in force then`;
}

/** A run of kernel "table full" or keepalived "send advert error" lines in the timeline. */
export function sideRunSummary(kind: SideLineKind, text: string): string {
  if (kind === 'link-down' || kind === 'link-up') return `kernel: ${kind === 'link-down' ? 'link down' : 'link up'} (${text})`;
  return kind === 'conntrack-table-full' ? `kernel: conntrack table full, packets dropped (${text})` : `keepalived could not send its advert (${text})`;
}

/** A saved ruleset in the timeline: the first as its nat rules, each later one as its change from the one before. */
export function rulesetSummary(rules: number, nat: string[], change: RuleChange | undefined): string {
  const head = `ruleset saved: ${count(rules, 'rule')}`;
  if (!change || change.first) return `${head}${nat.map((r) => `; ${r}`).join('')}`;
  const diff = [...change.removed.map((r) => `− ${r.table} ${r.text}`), ...change.added.map((r) => `+ ${r.table} ${r.text}`)];
  return `${head}; ${diff.length ? `changed: ${diff.join('; ')}` : 'no change'}`;
}
