import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { natRules, parseRuleset } from '../../../src/sources/config/firewall.js';
import { ROOT } from '../../helpers/capture.js';

const GW_A = path.join(ROOT, 'samples/seed-snat/gw-a');

describe('iptables-save (recorded)', () => {
  it('tables, chains with their hooks and policies, rules with lines; the Generated-on date', () => {
    const rs = parseRuleset(readFileSync(path.join(GW_A, 'iptables-save.3-notrack'), 'utf8'))!;
    expect(rs.format).toBe('iptables-save');
    expect(rs.generatedOn).toMatch(/^\w{3} Nov 25 05:55:56 2026$/);
    expect(rs.chains.find((c) => c.table === 'nat' && c.name === 'POSTROUTING')).toMatchObject({ hook: 'postrouting', type: 'nat', priority: 100, policy: 'ACCEPT' });
    expect(rs.chains.find((c) => c.table === 'raw' && c.name === 'OUTPUT')).toMatchObject({ hook: 'output', type: 'filter', priority: -300 });
    expect(rs.rules.map((r) => `${r.table}/${r.chain}:${r.line} ${r.target}`)).toEqual([
      'raw/OUTPUT:5 NOTRACK', 'filter/INPUT:13 ACCEPT', 'nat/POSTROUTING:22 ACCEPT', 'nat/POSTROUTING:23 SNAT',
    ]);
    expect(natRules(rs).map((r) => r.line)).toEqual([22, 23]);
  });

  it('a base chain\'s policy line is kept (what a drop by the policy cites); -i names the incoming interface', () => {
    const rs = parseRuleset(readFileSync(path.join(ROOT, 'samples/policy-drop/gw-b/iptables-save.2-default-deny'), 'utf8'))!;
    expect(rs.chains.find((c) => c.name === 'INPUT')).toMatchObject({ policy: 'DROP', policyAt: { line: 3, text: ':INPUT DROP [0:0]' } });
    expect(rs.rules.map((r) => r.inIf ?? null)).toEqual([null, { name: 'lo', negated: false }, null]);
    expect(parseRuleset('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -i eth0 -j DROP\nCOMMIT\n')!.rules[0].inIf).toEqual({ name: 'eth0', negated: true });
  });

  it('-j to a user chain of the same table is a jump; -g a goto', () => {
    const rs = parseRuleset('*nat\n:POSTROUTING ACCEPT [0:0]\n:LAN -\n-A POSTROUTING -j LAN\n-A POSTROUTING -g LAN\n-A POSTROUTING -j SNAT --to-source 203.0.113.1\nCOMMIT\n')!;
    expect(rs.rules.map((r) => r.jump ?? null)).toEqual([{ chain: 'LAN', goto: false }, { chain: 'LAN', goto: true }, null]);
  });
});

describe('nft list ruleset', () => {
  it('families, tables, base chains (type, hook, priority names with offsets, policy), jumps, nat rules', () => {
    const rs = parseRuleset(`table inet gw {
\tchain srcnat {
\t\ttype nat hook postrouting priority srcnat + 10; policy accept;
\t\tjump lan_out
\t}
\tchain lan_out {
\t\tip saddr 198.51.100.0/24 counter packets 3 bytes 120 snat ip to 203.0.113.1
\t}
\tchain out { type filter hook output priority raw; policy accept; meta l4proto vrrp notrack }
}
`)!;
    expect(rs.format).toBe('nft');
    expect(rs.chains.map((c) => [c.family, c.table, c.name, c.type ?? null, c.hook ?? null, c.priority ?? null])).toEqual([
      ['inet', 'gw', 'srcnat', 'nat', 'postrouting', 110],
      ['inet', 'gw', 'lan_out', null, null, null],
      ['inet', 'gw', 'out', 'filter', 'output', -300],
    ]);
    expect(rs.rules.map((r) => [r.chain, r.line, r.target, r.jump?.chain ?? null, r.toSource ?? null])).toEqual([
      ['srcnat', 4, 'JUMP', 'lan_out', null], ['lan_out', 7, 'SNAT', null, '203.0.113.1'], ['out', 9, 'NOTRACK', null, null],
    ]);
    expect(natRules(rs).map((r) => r.line)).toEqual([4, 7]);
  });

  it('other text is not a ruleset', () => expect(parseRuleset('Nov 25 05:55:41 gw-a Keepalived_vrrp[1]: hi')).toBeNull());
});
