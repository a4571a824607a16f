import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { firewallDropFindings } from '../../src/correlate/firewall-drop.js';
import { Topology } from '../../src/correlate/topology.js';
import { findingsOf, type TimelineEntry, type Transition } from '../../src/model/report.js';
import { parseRuleset } from '../../src/sources/config/firewall.js';
import { buildBrief } from '../../src/report/brief.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
const rel = (f: string) => f.replace('samples/firewall-drop/', '');

describe('firewall-drop on the recording', () => {
  it('gw-b\'s saved INPUT rule drops the group: the rule cited, gone in the next snapshot; gw-b\'s takeover typed with it; it caused the split brain; the takeover contradiction names it', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'firewall-drop')], { tz: 'UTC' });
    const [f, ...more] = r.findings.filter((x) => x.kind === 'firewall-drop');
    expect(more).toEqual([]);
    const d = f.firewallDrop!;
    expect(f).toMatchObject({ severity: 'critical', router: 'gw-b', vrid: 150 });
    expect(d).toMatchObject({ host: 'gw-b', from: '198.51.100.175', to: '224.0.0.18', rule: { line: 6, table: 'filter', chain: 'INPUT', target: 'DROP', text: '-A INPUT -d 224.0.0.18/32 -j DROP' } });
    expect([rel(d.rule.file), rel(d.removed!.file)]).toEqual(['gw-b/iptables-save.2-drop-vrrp', 'gw-b/iptables-save.3-rule-removed']);
    expect(f.evidence.map((e) => [rel(e.file), e.locator])).toEqual([['gw-b/iptables-save.2-drop-vrrp', 'line 6'], ['gw-b/syslog.rfc3339', 'line 33'], ['gw-b/lan0.pcap', 'frame 7']]);
    expect(f.evidence.map((e) => e.role)).toEqual([undefined, { kind: 'transition', host: 'gw-b', from: 'BACKUP' }, { kind: 'repeated', times: 18 }]);
    expect([f.evidence[0].text, f.evidence[1].text]).toEqual(['-A INPUT -d 224.0.0.18/32 -j DROP', 'Entering MASTER STATE']);
    const split = r.findings.find((x) => x.kind === 'split-brain')!;
    expect([split.causedBy, f.led]).toEqual([f.id, [split.id]]);
    const takeover = findingsOf(r.findings, 'master-change').find((x) => x.router === 'gw-b' && x.start === d.tookMasterAt)!;
    expect(takeover.reason).toMatchObject({ kind: 'advert-timeout', after: { kind: 'firewall-drop', line: 6 } });
    const deaf = findingsOf(r.findings, 'contradiction').find((x) => x.contradiction.claim === 'timeout-while-adverts-captured')!;
    expect(deaf.about).toBe(f.id);
    expect(deaf.contradiction.hypotheses.map((h) => [h.kind, h.evidence.map((e) => e.locator)])).toEqual([['dropped-by-firewall-rule', ['line 6']], ['dropped-after-capture-point', []]]);
    // the brief's root cause is the rule; no fix is given for a rule the evidence shows removed
    const b = buildBrief(r);
    expect(b.causes.map((c) => [c.finding.id, rel(c.file), c.locator])).toEqual([[f.id, 'gw-b/iptables-save.2-drop-vrrp', 'line 6']]);
    expect(b.fixes).toEqual([]);
  });

  it('none where a saved rule drops only INVALID packets (conntrack-full) or the drop met equal priorities (split-brain)', async () => {
    process.chdir(ROOT);
    for (const s of ['conntrack-full', 'split-brain', 'unicast-clash', 'link-down']) {
      const r = await analyze([path.join('samples', s)], { tz: 'UTC' });
      expect(r.findings.filter((x) => x.kind === 'firewall-drop'), s).toEqual([]);
    }
  });
});

describe('firewallDropFindings, crafted', () => {
  const topo = new Topology();
  topo.addConf('gw-b', { instances: [{ name: 'VI_1', vrid: 150, priority: 100, interface: 'lan0', vips: [], unicastPeers: [], file: 'k', line: 1 }], syncGroups: [], secrets: [], warnings: [] } as never);
  const tr = (): Transition => ({ at: 100n * SEC, host: 'gw-b', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', file: 'syslog', line: 9, reason: { kind: 'advert-timeout' } });
  const run: TimelineEntry = { at: 90n * SEC, until: 110n * SEC, repeat: 20, host: 'gw-b', source: 'capture', kind: 'advert', summary: 'adverts', file: 'cap', locator: 'frame 1', src: '198.51.100.175', priority: 150, vrid: 150 };
  const snap = (rules: string, at = 50n) => ({ host: 'gw-b', file: `save.${at}`, at: at * SEC, rules: parseRuleset(`*filter\n:INPUT ACCEPT [0:0]\n${rules}\nCOMMIT\n`)! });

  it.each([
    ['-A INPUT -p vrrp -j DROP', 3],
    ['-A INPUT -p 112 -j REJECT', 3],
    ['-A INPUT -s 198.51.100.175/32 -j DROP', 3],
    ['-A INPUT -p vrrp -j ACCEPT\n-A INPUT -p vrrp -j DROP', null],
    ['-A INPUT -m conntrack --ctstate INVALID -j DROP', null],
    ['-A INPUT -d 224.0.0.251/32 -j DROP', null],
    ['-A INPUT -p tcp -j DROP', null],
  ])('%s → rule line %s', (rules, line) => {
    const fs = firewallDropFindings({ transitions: [tr()], timeline: [run], topo, rules: [snap(rules)] });
    expect(fs.map((f) => f.firewallDrop!.rule.line)).toEqual(line === null ? [] : [line]);
  });

  it('not for a snapshot taken after the takeover, nor for a takeover the log explains by dropped adverts', () => {
    expect(firewallDropFindings({ transitions: [tr()], timeline: [run], topo, rules: [snap('-A INPUT -p vrrp -j DROP', 200n)] })).toEqual([]);
    const explained = { ...tr(), reason: { kind: 'advert-timeout' as const, dropped: { by: 'ah' as const } } };
    expect(firewallDropFindings({ transitions: [explained], timeline: [run], topo, rules: [snap('-A INPUT -p vrrp -j DROP')] })).toEqual([]);
  });
});
