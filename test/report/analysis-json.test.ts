/* eslint-disable @typescript-eslint/no-explicit-any -- the JSON document is walked by its keys, as a consumer would */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { reportJson } from '../../src/report/analysis-json.js';
import { ROOT } from '../helpers/capture.js';

const json = async (sample: string) => JSON.parse(reportJson(await analyze([path.join(ROOT, 'samples', sample)], { tz: 'UTC' }))) as Record<string, any>;

// The contract grows, never renames: each typed fact keeps its worded field and is also given as the structure itself.
describe('analysis JSON: typed facts beside their words', () => {
  it('a translation carries its same-router facts typed (kind per fact) beside the sentences, one for one', async () => {
    const doc = await json('split-brain');
    const f = doc.findings.find((x: any) => x.sameRouterFacts);
    expect(f).toBeDefined();
    expect(f.sameRouterFacts).toHaveLength(f.sameRouter.length);
    expect(f.sameRouterFacts.every((s: any) => typeof s.kind === 'string')).toBe(true);
    expect(f.sameRouter.every((s: any) => typeof s === 'string')).toBe(true);
  });

  it('a transition keeps its reason in words and gives its typed Reason as reasonFact', async () => {
    const doc = await json('split-brain');
    const ts = doc.findings.flatMap((f: any) => f.transitions ?? []).filter((t: any) => t.reason !== undefined);
    expect(ts.length).toBeGreaterThan(0);
    for (const t of ts) {
      expect(typeof t.reason).toBe('string');
      expect(typeof t.reasonFact.kind).toBe('string');
    }
  });

  it('timeline entries of advert runs name their source as a field; instants inside facts are RFC 3339', async () => {
    const doc = await json('seed-snat');
    const runs = doc.timeline.filter((e: any) => e.src !== undefined);
    expect(runs.length).toBeGreaterThan(0);
    for (const e of runs) expect(e.summary).toContain(e.src);
    const master = doc.findings.flatMap((f: any) => f.sameRouterFacts ?? []).find((s: any) => s.kind === 'master');
    if (master) expect(master.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('an input keeps its note sentence and gives its typed notes', async () => {
    const doc = await json('seed-snat');
    const noted = doc.inputs.filter((i: any) => i.notes);
    expect(noted.length).toBeGreaterThan(0);
    for (const i of noted) {
      expect(typeof i.note).toBe('string');
      expect(i.notes.every((n: any) => typeof n.kind === 'string')).toBe(true);
    }
  });

  it('samples/firewall-drop: evidence citing an advert run gives its words as `text` and its fact and count after, in the evidence and the contradiction\'s sides', async () => {
    const doc = await json('firewall-drop');
    const c = doc.findings.find((f: any) => f.kind === 'contradiction');
    const seen = c.contradiction.sides[1];
    expect(seen).toMatchObject({ locator: 'frame 7', text: 'VRRPv2 vrid 150 prio 150 from 198.51.100.175 (gw-a) (×18)', role: { kind: 'repeated', times: 18 } });
    expect(seen.fact).toEqual({ kind: 'advert', version: 2, vrid: 150, priority: 150, src: '198.51.100.175', router: 'gw-a' });
    expect(Object.keys(seen)).toEqual(['file', 'locator', 'at', 'text', 'fact', 'role']);
    expect(c.evidence.find((e: any) => e.locator === 'frame 7')).toEqual(seen);
  });
});

