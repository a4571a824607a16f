import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { FindingInputs, RuleSnapshot } from '../../../src/correlate/findings.js';
import { LogDetector } from '../../../src/correlate/states.js';
import { TimelineCollector } from '../../../src/correlate/timeline.js';
import { Topology } from '../../../src/correlate/topology.js';
import { WireDetector } from '../../../src/correlate/wire.js';
import type { KaEvent } from '../../../src/model/keepalived.js';
import type { VrrpAdvertRecord } from '../../../src/model/records.js';
import { parseRuleset } from '../../../src/sources/config/firewall.js';
import { ConntrackHistory } from '../../../src/sources/conntrack/history.js';
import { readConntrack } from '../../../src/sources/conntrack/reader.js';
import { ROOT } from '../../helpers/capture.js';
import { drain } from '../../helpers/drain.js';

export const S = (rel: string) => path.join(ROOT, 'samples', rel);

/** A saved ruleset of a recorded sample as the analysis holds it. */
export const snapshot = (rel: string, at: bigint, host = 'gw-a'): RuleSnapshot => ({ host, file: rel, at, rules: parseRuleset(readFileSync(S(rel), 'utf8'))! });

/**
 * What the finding modules are given, from crafted adverts and keepalived lines and recorded conntrack files and
 * rulesets; `translated`: addresses known to be SNAT targets (address → the real source).
 */
export async function findingInputs(o: {
  adverts?: VrrpAdvertRecord[]; logs?: KaEvent[]; conntrack?: { file: string; host: string | null }[]; rules?: RuleSnapshot[]; translated?: Record<string, string>;
}): Promise<FindingInputs> {
  const topo = new Topology();
  for (const [address, original] of Object.entries(o.translated ?? {})) {
    topo.addTranslated(address, { original, learned: { how: 'conntrack', evidence: { file: 'crafted', locator: 'line 1', at: null, text: 'crafted' } } });
  }
  const tl = new TimelineCollector();
  const logs = new LogDetector(topo, tl, () => 150);
  const wire = new WireDetector(topo, tl);
  for (const e of o.logs ?? []) logs.event(e, e.time, e.host ?? null);
  for (const a of o.adverts ?? []) wire.advert(a, a.time!, null);
  logs.finish();
  wire.finish();
  const flows: FindingInputs['flows'] = [];
  for (const c of o.conntrack ?? []) {
    const h = new ConntrackHistory();
    (await drain(readConntrack(S(c.file)))).items.forEach((e) => h.add(e));
    flows.push(...h.flows().map((f) => ({ ...f, host: c.host })));
  }
  return { topo, wire, logs, flows, rules: o.rules ?? [], hasLogsFor: () => (o.logs ?? []).length > 0 };
}
