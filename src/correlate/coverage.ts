import type { Check, Coverage, InputSummary } from '../model/report.js';
import { kindOfLabel, sourceOf } from '../sources/registry.js';

const ALL: Check[] = ['wire-sources', 'conntrack-entry', 'rule-in-force', 'transitions', 'configuration', 'peer-view'];

/**
 * What the evidence read allowed the analysis to check (the checks each kind makes possible are its Source's,
 * sources/kinds/). An input counts when it gave records or a time (a snapshot of a table without VRRP is evidence
 * too); files of no known kind, unreadable ones and copies not read twice do not.
 * Nothing counted is "none" (no all-clear can be given); one kind of source or one host is "thin".
 */
export function coverageOf(inputs: InputSummary[]): Coverage {
  const used = inputs.filter((i) => i.kind !== 'unknown' && (i.records > 0 || i.first !== null));
  const sources = [...new Set(used.map((i) => i.kind))];
  const hosts = new Set(used.map((i) => i.host).filter((h): h is string => h !== null)).size;
  const checked = new Set<Check>(sources.flatMap((k) => sourceOf(kindOfLabel(k))?.checks ?? []));
  // a second host's evidence says what the peer saw (its own capture, log, or table)
  if (hosts >= 2) checked.add('peer-view');
  const evidence = used.length === 0 ? 'none' : sources.length === 1 || hosts <= 1 ? 'thin' : 'broad';
  return { evidence, hosts, sources, checked: ALL.filter((c) => checked.has(c)), unchecked: ALL.filter((c) => !checked.has(c)) };
}
