import type { RuleChange } from '../model/report.js';
import type { Ruleset } from '../sources/config/firewall.js';

/**
 * What changed between two saved rulesets of one host, rule by rule (table + rule text, as a multiset): the HTML
 * timeline labels a snapshot with its change ("+ raw -A OUTPUT -p vrrp -j NOTRACK"), not with its file name.
 */
export function rulesetChange(before: Ruleset | null, after: Ruleset): RuleChange {
  const key = (r: Ruleset['rules'][number]) => `${r.family ? r.family + ' ' : ''}${r.table}\u0000${r.text}`;
  const left = new Map<string, number>();
  for (const r of before?.rules ?? []) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  const added: RuleChange['added'] = [];
  for (const r of after.rules) {
    const n = left.get(key(r)) ?? 0;
    if (n > 0) left.set(key(r), n - 1);
    else added.push({ table: r.table, text: r.text, line: r.line });
  }
  const removed: RuleChange['removed'] = [];
  for (const r of before?.rules ?? []) {
    const n = left.get(key(r)) ?? 0;
    if (n > 0) {
      left.set(key(r), n - 1);
      removed.push({ table: r.table, text: r.text, line: r.line });
    }
  }
  return { first: before === null, added, removed, rules: after.rules.length };
}
