import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/batch/glob.js';
import { groupFiles, inShard, parseShard } from '../../src/batch/group.js';
import type { Scanned } from '../../src/batch/scan.js';
import { mergeSummaries, SUMMARY_SCHEMA, type SummaryRow } from '../../src/batch/summary.js';

const S = 1_000_000_000n;
const f = (path: string, kind: Scanned['kind'], a: number | null, b: number | null = a): Scanned => ({
  path, kind, bytes: 10, first: a === null ? null : (BigInt(a) * S).toString(), last: b === null ? null : (BigInt(b) * S).toString(), hosts: [],
});

describe('grouping files into incidents', () => {
  it('overlapping captures are one incident; a day-long log joins every incident it overlaps; configs join their folder', () => {
    const groups = groupFiles([
      f('gw-a/a1.pcap', 'capture', 100, 200), f('gw-b/b1.pcap', 'capture', 150, 260), f('gw-a/a2.pcap', 'capture', 5000, 5100),
      f('gw-a/syslog', 'syslog', 0, 86000), f('gw-a/keepalived.conf', 'keepalived-conf', null), f('x/readme.txt', 'unknown', null),
    ]);
    expect(groups.map((g) => g.files)).toEqual([
      ['gw-a/a1.pcap', 'gw-a/keepalived.conf', 'gw-a/syslog', 'gw-b/b1.pcap'],
      ['gw-a/a2.pcap', 'gw-a/keepalived.conf', 'gw-a/syslog'],
    ]);
    // the id starts at the group's earliest evidence (here the log's first line)
    expect(groups[0].id).toMatch(/^19700101-000000-[0-9a-f]{10}$/);
  });

  it('ids are stable (same files, same id) and --per-dir makes one group per folder', () => {
    const files = [f('d1/a.pcap', 'capture', 1), f('d2/b.pcap', 'capture', 1)];
    expect(groupFiles(files)[0].id).toBe(groupFiles([...files].reverse())[0].id);
    expect(groupFiles(files, true).map((g) => g.files)).toEqual([['d1/a.pcap'], ['d2/b.pcap']]);
  });

  it('shards partition the groups: every id in exactly one of N', () => {
    const ids = [...Array(200)].map((_, i) => `20261125-0000${i}-abc`);
    for (const n of [1, 2, 3, 7]) {
      for (const id of ids) expect([...Array(n)].filter((_, k) => inShard(id, { k: k + 1, n })).length).toBe(1);
    }
    expect(() => parseShard('0/3')).toThrow(/K\/N/);
    expect(parseShard('2/3')).toEqual({ k: 2, n: 3 });
  });

  it('globs: * within a name, ** across folders', () => {
    expect(globToRegExp('a/**/*.pcap').test('a/x/y/z.pcap')).toBe(true);
    expect(globToRegExp('a/**/*.pcap').test('a/z.pcap')).toBe(true);
    expect(globToRegExp('a/*.pcap').test('a/x/z.pcap')).toBe(false);
    expect(globToRegExp('a/f?.log').test('a/f1.log')).toBe(true);
  });

  it('merging summaries: groups by id, an interrupted line yields to a finished one, a group in two shards is refused', () => {
    const row = (group: string, status: SummaryRow['status']): SummaryRow => ({ group, first: null, last: null, hosts: [], files: 1, bytes: 1, findings: {}, firstFlip: null, exitStatus: 0, report: null, status, problems: [] });
    const m = mergeSummaries([{ schema: SUMMARY_SCHEMA, shard: '1/2', groups: [row('b', 'done'), row('c', 'interrupted')] }, { schema: SUMMARY_SCHEMA, shard: '2/2', groups: [row('a', 'done'), row('c', 'done')] }]);
    expect(m.groups.map((g) => `${g.group}:${g.status}`)).toEqual(['a:done', 'b:done', 'c:done']);
    expect(() => mergeSummaries([{ schema: SUMMARY_SCHEMA, shard: null, groups: [row('a', 'done')] }, { schema: SUMMARY_SCHEMA, shard: null, groups: [row('a', 'done')] }])).toThrow(/two summaries/);
  });
});
