import { describe, expect, it } from 'vitest';
import { mergeSummaries, redoWords, SUMMARY_SCHEMA, type Summary, type SummaryRow } from '../../src/batch/summary.js';

describe('batch summaries', () => {
  it('merging summaries: groups by id, an interrupted line yields to a finished one, a group in two shards is refused', () => {
    const row = (group: string, status: SummaryRow['status']): SummaryRow => ({ group, folders: [], members: [], first: null, last: null, hosts: [], files: 1, bytes: 1, findings: {}, firstFlip: null, exitStatus: 0, report: null, status, problems: [] });
    const one: Summary = { schema: SUMMARY_SCHEMA, shard: '1/2', groups: [row('b', 'done'), row('c', 'interrupted')] };
    const two: Summary = { schema: SUMMARY_SCHEMA, shard: '2/2', groups: [row('a', 'done'), row('c', 'done')] };
    const m = mergeSummaries([one, two, one]).summary;
    expect(m.groups.map((g) => `${g.group}:${g.status}`)).toEqual(['a:done', 'b:done', 'c:done']);
    expect(() => mergeSummaries([{ schema: SUMMARY_SCHEMA, shard: null, groups: [row('a', 'done')] }, { schema: SUMMARY_SCHEMA, shard: null, groups: [row('a', 'done')] }])).toThrow(/two summaries/);
  });

  it('merging K of N shards is refused, or with allowPartial names the missing ones', () => {
    const part = (k: number): Summary => ({ schema: SUMMARY_SCHEMA, shard: `${k}/3`, groups: [] });
    expect(() => mergeSummaries([part(1), part(3)])).toThrow(/2 of 3 shards given; missing 2\/3/);
    expect(mergeSummaries([part(1), part(3)], true).missingShards).toEqual(['2/3']);
    expect(() => mergeSummaries([part(1), { ...part(2), shard: '2/4' }])).toThrow(/different numbers of shards/);
  });

  it('a redo is worded once, by its kind', () => {
    expect(redoWords({ kind: 'report-changed', report: 'g.json', bytes: 100, expected: 2048 })).toBe('its report g.json is not the one its summary line describes (100 bytes, 2048 expected)');
    expect(redoWords({ kind: 'no-digest' })).toBe('its summary line has no report digest (written by an older version)');
    expect(redoWords({ kind: 'report-missing', report: 'g.json' })).toBe('its report g.json is missing');
  });
});
