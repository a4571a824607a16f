import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { inputGroups, sourcesLine } from '../../src/report/analysis-view.js';
import { rebasePaths } from '../../src/report/paths.js';
import { ROOT } from '../helpers/capture.js';

describe('inputs, compact', () => {
  it('seed-snat: one row per host with its sources; the files of no known kind folded apart; nothing dropped', async () => {
    process.chdir(ROOT);
    const r = rebasePaths(await analyze(['samples/seed-snat'], { tz: 'UTC' }), { absolute: false });
    const g = inputGroups(r);
    expect(g.hosts.map((h) => h.host)).toEqual(['gw-a', 'gw-b']);
    expect(g.unknown.map((i) => i.path).sort()).toEqual(['README.md', 'actions.log']);
    expect(g.hosts.reduce((n, h) => n + h.sources.length, 0) + g.unknown.length).toBe(r.inputs.length);
    const a = g.hosts[0];
    expect(a.folder).toBe('gw-a/');
    expect(a.records).toBe(r.inputs.filter((i) => i.host === 'gw-a').reduce((n, i) => n + i.records, 0));
    expect(sourcesLine(a)).toMatch(/^in gw-a\/: any\.pcap \(pcap-ns, 40\), /);
  });

  it('an unknown file named on the command line is an error and keeps its row', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat/README.md', 'samples/seed-snat/gw-b/lan0.pcap'], { tz: 'UTC' });
    const g = inputGroups(r);
    expect(g.unknown).toEqual([]);
    expect(g.hosts.flatMap((h) => h.sources.map((s) => s.kind))).toContain('unknown');
  });
});
