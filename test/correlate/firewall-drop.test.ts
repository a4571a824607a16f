import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('firewall-drop by a chain\'s DROP policy, on the recording (policy-drop)', () => {
  it('gw-b\'s default deny accepts no VRRP: the policy line cited, VRRP accepted in the next snapshot; it caused the split brain; one remedy step (accept VRRP before the policy)', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'policy-drop')], { tz: 'UTC' });
    const [f, ...more] = r.findings.filter((x) => x.kind === 'firewall-drop');
    expect(more).toEqual([]);
    const d = f.firewallDrop!;
    const relp = (x: string) => x.replace('samples/policy-drop/', '');
    expect(f).toMatchObject({ severity: 'critical', router: 'gw-b', vrid: 150 });
    expect(d).toMatchObject({ host: 'gw-b', from: '198.51.100.175', to: '224.0.0.18', rule: { policy: true, line: 3, table: 'filter', chain: 'INPUT', target: 'DROP', text: ':INPUT DROP [0:0]' } });
    expect([relp(d.rule.file), relp(d.removed!.file)]).toEqual(['gw-b/iptables-save.2-default-deny', 'gw-b/iptables-save.3-vrrp-accepted']);
    expect(f.evidence.map((e) => [relp(e.file), e.locator])).toEqual([['gw-b/iptables-save.2-default-deny', 'line 3'], ['gw-b/syslog.rfc3339', 'line 33'], ['gw-b/lan0.pcapng', 'frame 7']]);
    const split = r.findings.find((x) => x.kind === 'split-brain')!;
    expect([split.causedBy, f.led]).toEqual([f.id, [split.id]]);
    expect(f.remedy!.steps.map((st) => [st.action, st.commands.map((c) => c.command)])).toEqual([['accept-vrrp', ['iptables -I INPUT -p vrrp -j ACCEPT']]]);
    // the takeover contradiction's firewall hypothesis knows it is the policy (its words say so)
    const deaf = findingsOf(r.findings, 'contradiction').find((x) => x.contradiction.claim === 'timeout-while-adverts-captured')!;
    expect(deaf.contradiction.hypotheses.map((h) => [h.kind, h.policy ?? false, h.evidence.map((e) => e.locator)])).toEqual([['dropped-by-firewall-rule', true, ['line 3']], ['dropped-after-capture-point', false, []]]);
    const b = buildBrief(r);
    expect(b.causes.map((c) => [c.finding.id, relp(c.file), c.locator])).toEqual([[f.id, 'gw-b/iptables-save.2-default-deny', 'line 3']]);
  });

  it('gw-b\'s log and rulesets with no capture: the master its log last yielded to, cited by the line that named it', async () => {
    for (const [sample, line, yieldLine] of [['policy-drop', 3, 29], ['firewall-drop', 6, 29]] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), 'vf-fwdrop-'));
      for (const f of readdirSync(path.join(ROOT, 'samples', sample, 'gw-b'))) if (/^(syslog\.rfc3339|iptables-save\..*|keepalived\.conf)$/.test(f)) copyFileSync(path.join(ROOT, 'samples', sample, 'gw-b', f), path.join(dir, f));
      const r = await analyze([dir], { tz: 'UTC' });
      const [f, ...more] = findingsOf(r.findings, 'firewall-drop');
      expect(more, sample).toEqual([]);
      expect(f.firewallDrop, sample).toMatchObject({ host: 'gw-b', from: '198.51.100.175', heardBy: 'log', rule: { line } });
      expect(f.evidence.map((e) => [path.basename(e.file), e.locator]), sample).toEqual([[path.basename(f.firewallDrop.rule.file), `line ${line}`], ['syslog.rfc3339', 'line 33'], ['syslog.rfc3339', `line ${yieldLine}`]]);
      // the cause is named, so the takeover is no longer "unexplained"
      expect(findingsOf(r.findings, 'unexplained-takeover'), sample).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gw-b\'s folder alone: the same cause, from its own log, capture and rulesets', async () => {
    const r = await analyze([path.join(ROOT, 'samples', 'policy-drop', 'gw-b')], { tz: 'UTC' });
    expect(findingsOf(r.findings, 'firewall-drop').map((f) => [f.router, f.firewallDrop.rule.policy, f.firewallDrop.rule.line])).toEqual([['gw-b', true, 3]]);
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

  it('nft: a chain\'s `policy drop;` is the cause, its remedy one nft command that accepts VRRP before it', () => {
    const nft = { host: 'gw-b', file: 'ruleset.nft', at: 50n * SEC, rules: parseRuleset('table inet fw {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tiif "lo" accept\n\t}\n}\n')! };
    const [f] = firewallDropFindings({ transitions: [tr()], timeline: [run], topo, rules: [nft] });
    expect(f.firewallDrop.rule).toMatchObject({ policy: true, family: 'inet', table: 'fw', chain: 'input', line: 3 });
    expect(f.remedy!.steps.map((st) => st.commands.map((c) => c.command))).toEqual([['nft insert rule inet fw input meta l4proto vrrp accept']]);
  });
});
