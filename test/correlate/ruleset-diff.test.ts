import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesetChange } from '../../src/correlate/ruleset-diff.js';
import { parseRuleset } from '../../src/sources/config/firewall.js';
import { ROOT } from '../helpers/capture.js';

const load = (f: string) => parseRuleset(readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a', f), 'utf8'))!;

describe('ruleset change between snapshots', () => {
  it('seed-snat: the exemption, then NOTRACK and accepting UNTRACKED, rule by rule', () => {
    const [a, b, c] = ['iptables-save.1-naive-snat', 'iptables-save.2-vrrp-exempt', 'iptables-save.3-notrack'].map(load);
    expect(rulesetChange(null, a)).toMatchObject({ first: true, rules: 1, removed: [] });
    expect(rulesetChange(a, b)).toEqual({ first: false, rules: 2, removed: [], added: [{ table: 'nat', text: '-A POSTROUTING -p vrrp -j ACCEPT', line: 7 }] });
    const bc = rulesetChange(b, c);
    expect(bc.added.map((r) => `${r.table} ${r.text}`)).toEqual(['raw -A OUTPUT -p vrrp -j NOTRACK', 'filter -A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT']);
    expect(bc.removed).toEqual([]);
    expect(rulesetChange(c, a).removed).toHaveLength(3);
  });

  it('the same rule twice is counted twice (a multiset): one of two copies removed is a change', () => {
    const two = parseRuleset('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p vrrp -j DROP\n-A INPUT -p vrrp -j DROP\nCOMMIT\n')!;
    const one = parseRuleset('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p vrrp -j DROP\nCOMMIT\n')!;
    expect(rulesetChange(two, one).removed).toHaveLength(1);
    expect(rulesetChange(one, one)).toMatchObject({ added: [], removed: [] });
  });
});
