import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import type { Topology } from '../../src/correlate/topology.js';
import { unexplainedTakeovers } from '../../src/correlate/unexplained-takeover.js';
import { findingsOf, type Finding, type TimelineEntry, type Transition } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
// relative to the project, as a user names them (the model keeps each file as named)
process.chdir(ROOT);
const sample = (...p: string[]) => path.join('samples', ...p);

describe('unexplained takeover: an unplanned failover the evidence does not explain', () => {
  it('samples/link-down, gw-b alone: gw-a went silent without resigning and gw-b took over on the timeout', async () => {
    const r = await analyze([sample('link-down', 'gw-b')], { tz: 'UTC' });
    const [u, ...more] = findingsOf(r.findings, 'unexplained-takeover');
    expect(more).toEqual([]);
    expect(u.severity).toBe('warning');
    expect(u.takeover).toMatchObject({ host: 'gw-b', instance: 'VI_1', file: sample('link-down', 'gw-b', 'syslog.rfc3339'), line: 33, masterLogs: 'absent' });
    // gw-a's last run of adverts, as gw-b's capture has it (198.51.100.175 is gw-a's address: no keepalived.conf of gw-a here)
    expect(u.takeover.master).toMatchObject({ src: '198.51.100.175', vrid: 150, file: sample('link-down', 'gw-b', 'lan0.pcap'), locator: 'frame 7', adverts: 3 });
    expect(u.takeover.at - u.takeover.master.lastAt).toBeGreaterThan(3n * SEC);
    expect(u.evidence.map((e) => `${path.basename(e.file)} ${e.locator}`)).toEqual(['syslog.rfc3339 line 33', 'syslog.rfc3339 line 32', 'lan0.pcap frame 7']);
    expect(u.evidence[0]).toMatchObject({ text: 'Entering MASTER STATE', role: { kind: 'transition' } });
  });

  it('samples/link-down whole: the timeout names gw-a\'s link, so no unexplained takeover', async () => {
    const r = await analyze([sample('link-down')], { tz: 'UTC' });
    expect(findingsOf(r.findings, 'unexplained-takeover')).toEqual([]);
    expect(findingsOf(r.findings, 'link-down')).toHaveLength(1);
  });

  it('gw-b\'s logs without its capture: the master it had yielded to (its own log says so) went silent', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-ut-'));
    try {
      for (const f of ['keepalived.conf', 'syslog.rfc3339']) cpSync(path.join(ROOT, sample('link-down', 'gw-b', f)), path.join(dir, f));
      const r = await analyze([dir], { tz: 'UTC' });
      const [u, ...more] = findingsOf(r.findings, 'unexplained-takeover');
      expect(more).toEqual([]);
      expect(u.takeover.master).toMatchObject({ src: '198.51.100.175', heardBy: 'log', locator: 'line 30' });
      expect(u.takeover.master.adverts).toBeUndefined();
      expect(u.takeover.line).toBe(33);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('samples/firewall-drop, gw-b\'s syslog alone: its takeover after yielding to gw-a is unplanned, though the cause (its own drop rule) is not in that file', async () => {
    const r = await analyze([sample('firewall-drop', 'gw-b', 'syslog.rfc3339')], { tz: 'UTC' });
    expect(findingsOf(r.findings, 'unexplained-takeover').map((u) => [u.takeover.line, u.takeover.master.src, u.takeover.master.heardBy])).toEqual([[33, '198.51.100.175', 'log']]);
    // with its saved rulesets beside it, the cause is known: a firewall-drop finding, and no unexplained takeover
    const whole = await analyze([sample('firewall-drop', 'gw-b')], { tz: 'UTC' });
    expect(findingsOf(whole.findings, 'unexplained-takeover')).toEqual([]);
    expect(findingsOf(whole.findings, 'firewall-drop')).toHaveLength(1);
  });

  it('on no whole sample: each takeover there is a start-up, a preemption or a cause the evidence names', async () => {
    for (const s of ['clean-failover', 'conntrack-full', 'firewall-drop', 'split-brain', 'unicast-clash', 'vrrpv3-unicast', 'preempt-short']) {
      const r = await analyze([sample(s)], { tz: 'UTC' });
      expect(findingsOf(r.findings, 'unexplained-takeover'), s).toEqual([]);
    }
  });
});

describe('unexplainedTakeovers on crafted facts', () => {
  const topo = { routers: new Map([['gw-b', { addresses: new Map([['192.0.2.2', {}]]), instances: [{ name: 'VI_1', vrid: 7 }] }]]), ownerOf: (a: string) => (a === '192.0.2.1' ? 'gw-a' : undefined) } as unknown as Topology;
  const tr = (over: Partial<Transition> = {}): Transition =>
    ({ at: 20n * SEC, host: 'gw-b', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', file: 'b.log', line: 9, reason: { kind: 'advert-timeout' }, ...over });
  const run = (at: bigint, until: bigint, priority: number, src = '192.0.2.1'): TimelineEntry =>
    ({ at, until, host: 'gw-b', source: 'capture', kind: 'advert', vrid: 7, src, priority, file: 'b.pcap', locator: 'frame 1', repeat: 5 });
  const silentMaster = [run(10n * SEC, 16n * SEC, 200)];

  it('a master silent 4 s before the timeout: one finding', () => {
    const [u] = unexplainedTakeovers({ transitions: [tr()], timeline: silentMaster, topo, built: [] });
    expect(u.takeover.master).toMatchObject({ src: '192.0.2.1', router: 'gw-a', lastAt: 16n * SEC, adverts: 5 });
    expect(u.hosts).toEqual(['gw-b', 'gw-a']);
  });

  it('not at start-up, not when the timeout names its cause, not after a resignation', () => {
    expect(unexplainedTakeovers({ transitions: [tr({ from: null })], timeline: silentMaster, topo, built: [] })).toEqual([]);
    expect(unexplainedTakeovers({ transitions: [tr({ reason: { kind: 'advert-timeout', after: { kind: 'peer-link-down', host: 'gw-a', interface: 'eth0' } } })], timeline: silentMaster, topo, built: [] })).toEqual([]);
    expect(unexplainedTakeovers({ transitions: [tr()], timeline: [...silentMaster, run(17n * SEC, 17n * SEC, 0)], topo, built: [] })).toEqual([]);
  });

  it('not when the master\'s own logs show it leaving MASTER, nor when the host\'s own adverts are all there is', () => {
    const left = tr({ host: 'gw-a', from: 'MASTER', to: 'FAULT', at: 16n * SEC, line: 3, reason: undefined });
    expect(unexplainedTakeovers({ transitions: [left, tr()], timeline: silentMaster, topo, built: [] })).toEqual([]);
    expect(unexplainedTakeovers({ transitions: [tr()], timeline: [run(10n * SEC, 16n * SEC, 100, '192.0.2.2')], topo, built: [] })).toEqual([]);
  });

  it('not when another finding above info covers the silence; an info finding does not', () => {
    const split = { id: 'F1', kind: 'split-brain', severity: 'critical', vrid: 7, router: null, start: 15n * SEC, end: 30n * SEC, hosts: [], evidence: [] } as unknown as Finding;
    expect(unexplainedTakeovers({ transitions: [tr()], timeline: silentMaster, topo, built: [split] })).toEqual([]);
    expect(unexplainedTakeovers({ transitions: [tr()], timeline: silentMaster, topo, built: [{ ...split, severity: 'info' } as Finding] })).toHaveLength(1);
  });

  it('no capture: the peer the host last yielded to, by its own log; not when it won the tie-break or changed state since', () => {
    const yielded = tr({ from: 'MASTER', to: 'BACKUP', at: 12n * SEC, line: 5, reason: { kind: 'higher-priority', peer: { address: '192.0.2.1' } } });
    const [u] = unexplainedTakeovers({ transitions: [yielded, tr()], timeline: [], topo, built: [] });
    expect(u.takeover.master).toEqual({ src: '192.0.2.1', router: 'gw-a', vrid: null, lastAt: 12n * SEC, heardBy: 'log', file: 'b.log', locator: 'line 5' });
    const won = { ...yielded, reason: { kind: 'tie-break' as const, outcome: 'won' as const, peer: { address: '192.0.2.1' } } };
    expect(unexplainedTakeovers({ transitions: [won, tr()], timeline: [], topo, built: [] })).toEqual([]);
    const fault = tr({ from: 'BACKUP', to: 'FAULT', at: 15n * SEC, line: 7, reason: undefined });
    expect(unexplainedTakeovers({ transitions: [yielded, fault, tr({ from: 'FAULT' })], timeline: [], topo, built: [] })).toEqual([]);
  });

  it('the master\'s logs in the evidence and silent: said so', () => {
    const before = tr({ host: 'gw-a', from: 'BACKUP', to: 'MASTER', at: 5n * SEC, line: 2, reason: undefined });
    const [u] = unexplainedTakeovers({ transitions: [before, tr()], timeline: silentMaster, topo, built: [] });
    expect(u.takeover.masterLogs).toBe('silent');
  });
});
