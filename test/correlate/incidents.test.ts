import { describe, expect, it } from 'vitest';
import { groupFiles, incidentFolder, type Scanned } from '../../src/correlate/incidents.js';

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
});
