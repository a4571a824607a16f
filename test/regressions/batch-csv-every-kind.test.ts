import { describe, expect, it } from 'vitest';
import { summaryCsv, SUMMARY_SCHEMA, type SummaryRow } from '../../src/batch/summary.js';

// batch's summary.csv had one column per finding kind of its first release (six); the kinds added since
// (conntrack-exhaustion, contradiction, link-down, firewall-drop, unexplained-takeover) were counted in summary.json
// but had no column, so a group whose only findings were of those kinds showed zeros beside exit status 1.
describe('summary.csv has a column for every finding kind', () => {
  it('a group with only the newer kinds shows their counts', async () => {
    const row: SummaryRow = {
      group: 'g', folders: [], members: [], first: null, last: null, hosts: [], files: 1, bytes: 1, firstFlip: null, exitStatus: 1, report: null, status: 'done', problems: [],
      findings: { 'conntrack-exhaustion': 1, contradiction: 2, 'link-down': 3, 'firewall-drop': 4, 'unexplained-takeover': 5, 'master-change': 6 },
    };
    // no cell here holds a comma or a quote: splitting is parsing
    const [head, line] = (await summaryCsv({ schema: SUMMARY_SCHEMA, shard: null, groups: [row] })).trim().split('\n').map((l) => l.split(','));
    const cell = (k: string) => line[head.indexOf(k)];
    expect(['conntrack-exhaustion', 'contradiction', 'link-down', 'firewall-drop', 'unexplained-takeover', 'master-change'].map(cell)).toEqual(['1', '2', '3', '4', '5', '6']);
    // the first columns keep their places: readers by position still find them
    expect(head.slice(0, 13)).toEqual(['group', 'folders', 'first', 'last', 'hosts', 'files', 'bytes', 'vrrp-source-translated', 'split-brain', 'advert-storm', 'master-change', 'resignation', 'carp-source-translated']);
  });
});
