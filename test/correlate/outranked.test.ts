import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { OutrankedWatch } from '../../src/correlate/outranked.js';
import { Topology } from '../../src/correlate/topology.js';
import { exitStatus, findingsOf } from '../../src/model/report.js';
import type { VrrpAdvertRecord } from '../../src/model/records.js';
import type { KaEvent } from '../../src/model/keepalived.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
const rel = (f: string) => f.replace('samples/unicast-clash/', '');
const at = (s: string) => BigInt(Date.parse(s)) * 1_000_000n;

describe('a MASTER deaf to a peer that outranks it, on the recordings', () => {
  it('unicast-clash: gw-a\'s capture holds 9 of gw-b\'s priority-150 adverts while gw-a stays MASTER; its stale translated unicast entry is the hypothesis, cited from the event log and the dump; it explains the split brain', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'unicast-clash')], { tz: 'UTC' });
    const [c, ...more] = findingsOf(r.findings, 'contradiction').filter((f) => f.contradiction.claim === 'outranked-while-master');
    expect(more).toEqual([]);
    const o = c.contradiction.outranked!;
    expect(c).toMatchObject({ kind: 'contradiction', severity: 'warning', router: 'gw-a', vrid: 150, hosts: ['gw-a', 'gw-b'] });
    expect(o).toMatchObject({ peer: '198.51.100.176', peerHost: 'gw-b', peerPriority: 150, ownPriority: 100, tie: false, dst: '198.51.100.175', adverts: 9 });
    expect([rel(o.first.file), o.first.locator, o.last.locator]).toEqual(['gw-a/lan0.pcap', 'frame 21', 'frame 86']);
    expect([o.first.at, o.last.at]).toEqual([at('2026-12-02T01:01:11.026Z') + 42_000n, at('2026-12-02T01:01:17.181Z') + 409_000n]);
    // gw-a's keepalived: MASTER (line 21) until the peer's advert got through after the entry's deletion (line 36)
    expect(c.contradiction.sides.map((s) => [rel(s.file), s.locator])).toEqual([['gw-a/syslog.rfc3339', 'line 21'], ['gw-a/lan0.pcap', 'frame 21']]);
    const left = r.findings.flatMap((f) => ('transitions' in f ? f.transitions ?? [] : [])).find((t) => t.host === 'gw-a' && t.line === 36)!;
    expect(o.leftMasterAt).toBe(left.at);
    // both transitions cited in keepalived's words, the host as the role's fact
    expect(c.contradiction.sides[0]).toMatchObject({ text: 'Entering MASTER STATE', role: { kind: 'transition', host: 'gw-a' } });
    expect(c.evidence.find((e) => e.locator === 'line 36')).toMatchObject({ text: `Entering ${left.to} STATE`, role: { kind: 'transition', host: 'gw-a' } });
    const [h, ...others] = c.contradiction.hypotheses;
    expect(others).toEqual([]);
    expect(h.kind).toBe('stale-unicast-entry-clash');
    expect(h.evidence.map((e) => [rel(e.file), e.locator])).toEqual([['gw-a/conntrack-events.log', 'line 1'], ['gw-a/conntrack-L.1796173277', 'line 1']]);
    expect(h.evidence[1].text).toContain('src=198.51.100.175 dst=198.51.100.176 packets=13 [UNREPLIED] src=198.51.100.176 dst=203.0.113.1');
    const split = findingsOf(r.findings, 'split-brain')[0];
    expect(c.about).toBe(split.id);
    expect(split.explainedBy).toEqual([c.id]);
    expect(exitStatus(r)).toBe(1);
  });

  it('the same from the whole-second (RFC 3164) logs alone: the yield logged at :18 is the advert after the ninth, not the ninth', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-clash-'));
    cpSync(path.join(ROOT, 'samples/unicast-clash'), dir, { recursive: true });
    for (const g of ['gw-a', 'gw-b']) rmSync(path.join(dir, g, 'syslog.rfc3339'));
    const r = await analyze([dir], { tz: 'UTC' });
    const [c] = findingsOf(r.findings, 'contradiction').filter((f) => f.contradiction.claim === 'outranked-while-master');
    expect(c.contradiction.outranked).toMatchObject({ adverts: 9, leftMasterAt: at('2026-12-02T01:01:18Z'), masterSince: at('2026-12-02T01:01:05Z') });
    expect(c.contradiction.outranked!.last.locator).toBe('frame 86');
  });

  it('none where the MASTER logged the peer (tie-breaks, checksum drops) or began deaf (the takeover contradiction tells that)', async () => {
    process.chdir(ROOT);
    for (const s of ['split-brain', 'v3-half-fixed', 'vrrpv3-unicast', 'unicast-check-src', 'conntrack-full', 'firewall-drop', 'clean-failover', 'link-down']) {
      const r = await analyze([path.join('samples', s)], { tz: 'UTC' });
      expect(findingsOf(r.findings, 'contradiction').filter((f) => f.contradiction.claim === 'outranked-while-master'), s).toEqual([]);
    }
  });
});

describe('OutrankedWatch, crafted', () => {
  const topo = new Topology();
  const inst = (name: string, priority: number, src: string) => ({ instances: [{ name: 'VI_1', vrid: 150, priority, interface: 'lan0', vips: [], unicastPeers: [], mcastSrcIp: src, file: `${name}.conf`, line: 1 }], syncGroups: [], secrets: [], warnings: [] });
  topo.addConf('gw-a', inst('gw-a', 100, '198.51.100.175') as never);
  topo.addConf('gw-b', inst('gw-b', 150, '198.51.100.176') as never);
  const state = (s: 'MASTER' | 'BACKUP', t: bigint, line: number): KaEvent =>
    ({ file: 'syslog', line, time: t, precision: 6, timeFrom: 'exact', program: 'Keepalived_vrrp', type: 'state', fields: { instance: 'VI_1', state: s }, message: `(VI_1) Entering ${s} STATE` }) as KaEvent;
  const heard = (t: bigint, line: number): KaEvent =>
    ({ file: 'syslog', line, time: t, precision: 6, timeFrom: 'exact', program: 'Keepalived_vrrp', type: 'higher-priority-advert', fields: { instance: 'VI_1', peer: '198.51.100.176', peerPriority: 150 }, message: '' }) as KaEvent;
  const advert = (t: bigint, frame: number, priority = 150, src = '198.51.100.176'): VrrpAdvertRecord =>
    ({ kind: 'vrrp', file: 'cap', frame, src, dst: '224.0.0.18', vrid: 150, type: 1, version: 2, priority, interval: 1, intervalUnit: 's', checksumStatus: 'ok' }) as unknown as VrrpAdvertRecord;
  const none = { rejections: [], flows: [], rules: [], deaf: [], transitions: [] };

  it('adverts that outrank a MASTER that never acts: one contradiction with the after-capture hypothesis only (no entry, no rule)', () => {
    const w = new OutrankedWatch(topo);
    w.event(state('MASTER', 10n * SEC, 5), 10n * SEC, 'gw-a');
    for (let i = 0; i < 5; i++) w.advert(advert(BigInt(20 + i) * SEC, 10 + i), BigInt(20 + i) * SEC, 'gw-a');
    const [f] = w.findings(none);
    expect(f.contradiction!.outranked).toMatchObject({ adverts: 5, leftMasterAt: null, masterSince: 10n * SEC });
    expect(f.contradiction!.hypotheses.map((h) => h.kind)).toEqual(['dropped-after-capture-point']);
  });

  it('a MASTER that yields on the first advert it hears is no contradiction; neither are lower priorities, its own adverts, or two adverts', () => {
    const yields = new OutrankedWatch(topo);
    yields.event(state('MASTER', 10n * SEC, 5), 10n * SEC, 'gw-a');
    yields.advert(advert(20n * SEC, 10), 20n * SEC, 'gw-a');
    yields.event(heard(20n * SEC + 1000n, 6), 20n * SEC + 1000n, 'gw-a');
    yields.event(state('BACKUP', 20n * SEC + 2000n, 7), 20n * SEC + 2000n, 'gw-a');
    for (let i = 1; i < 5; i++) yields.advert(advert(BigInt(20 + i) * SEC, 10 + i), BigInt(20 + i) * SEC, 'gw-a');
    expect(yields.findings(none)).toEqual([]);
    const other = new OutrankedWatch(topo);
    other.event(state('MASTER', 10n * SEC, 5), 10n * SEC, 'gw-a');
    for (let i = 0; i < 5; i++) other.advert(advert(BigInt(20 + i) * SEC, 10 + i, 90), BigInt(20 + i) * SEC, 'gw-a');
    for (let i = 0; i < 5; i++) other.advert(advert(BigInt(20 + i) * SEC, 20 + i, 100, '198.51.100.175'), BigInt(20 + i) * SEC, 'gw-a');
    for (let i = 0; i < 2; i++) other.advert(advert(BigInt(40 + i) * SEC, 30 + i), BigInt(40 + i) * SEC, 'gw-a');
    expect(other.findings(none)).toEqual([]);
  });

  it('equal priority from the higher address outranks (tie); from a lower one it does not', () => {
    const tied = new Topology();
    tied.addConf('gw-a', inst('gw-a', 150, '198.51.100.175') as never);
    for (const [src, n] of [['198.51.100.176', 1], ['198.51.100.100', 0]] as const) {
      const w = new OutrankedWatch(tied);
      w.event(state('MASTER', 10n * SEC, 5), 10n * SEC, 'gw-a');
      for (let i = 0; i < 4; i++) w.advert(advert(BigInt(20 + i) * SEC, 10 + i, 150, src), BigInt(20 + i) * SEC, 'gw-a');
      const fs = w.findings(none);
      expect(fs.length, src).toBe(n);
      if (n) expect(fs[0].contradiction!.outranked!.tie).toBe(true);
    }
  });
});
