import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/batch/glob.js';
import { groupFiles, incidentFolder, inShard, parseShard, reportStem } from '../../src/batch/group.js';
import type { Scanned } from '../../src/batch/scan.js';
import { mergeSummaries, SUMMARY_SCHEMA, type Summary, type SummaryRow } from '../../src/batch/summary.js';

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
    expect(groupFiles(files, { perDir: 1 }).map((g) => g.files)).toEqual([['d1/a.pcap'], ['d2/b.pcap']]);
  });

  it('--per-dir: one incident per folder directly under the given path, its hosts and their subfolders inside it; --depth for deeper layouts', () => {
    const r = (p: string, kind: Scanned['kind'], t: number | null): Scanned => ({ ...f(`arch/${p}`, kind, t), root: 'arch' });
    const files = [
      r('inc1/gw-a/lan0.pcap', 'capture', 100), r('inc1/gw-a/conntrack/events.log', 'conntrack', 100), r('inc1/gw-b/messages', 'syslog', 100),
      r('inc1/gw-a/keepalived.conf', 'keepalived-conf', null), r('inc2/gw-a/lan0.pcap', 'capture', 100), r('inc2/gw-b/conntrack/dump.txt', 'conntrack', 9000),
      r('top.log', 'syslog', 5),
    ];
    const g = groupFiles(files, { perDir: 1 }).sort((a, b) => a.folders[0].localeCompare(b.folders[0]));
    expect(g.map((x) => x.folders)).toEqual([['.'], ['inc1'], ['inc2']]);
    expect(g[1].members).toEqual(['inc1/gw-a/conntrack/events.log', 'inc1/gw-a/keepalived.conf', 'inc1/gw-a/lan0.pcap', 'inc1/gw-b/messages']);
    expect(groupFiles(files, { perDir: 2 }).map((x) => x.folders.join()).sort()).toEqual(['.', 'inc1/gw-a', 'inc1/gw-b', 'inc2/gw-a', 'inc2/gw-b']);
    expect(incidentFolder('arch/inc1/gw-a/x.pcap', 'arch', 3)).toBe('inc1/gw-a');
    expect(incidentFolder('arch/x.pcap', 'arch/x.pcap')).toBe('.');
  });

  it('report names carry the incident folder, made safe, and stay unique by the id', () => {
    expect(reportStem({ id: '20261125-055541-abcdef0123', folders: ['seed-snat'] })).toBe('seed-snat--20261125-055541-abcdef0123');
    expect(reportStem({ id: 'X', folders: ['../../etc', 'a b'] })).toBe('__.._etc+a_b--X');
    expect(reportStem({ id: 'X', folders: ['a', 'b', 'c', 'd'] })).toBe('a+b+2more--X');
    expect(reportStem({ id: 'X', folders: ['.'] })).toBe('X');
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
});
