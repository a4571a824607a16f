import { describe, expect, it } from 'vitest';
import { remedyFor } from '../../src/correlate/remedy.js';
import { parseIptablesSave } from '../../src/sources/config/firewall.js';

describe('remedyFor', () => {
  it('orders the fix: NOTRACK, accept UNTRACKED, exempt from SNAT, then delete the entry', () => {
    const r = remedyFor({ router: 'gw-a', original: '198.51.100.175', translated: '203.0.113.1', dst: '224.0.0.18', protocols: [112] }).join('\n');
    const order = ['-t raw -I OUTPUT -p vrrp -j NOTRACK', '--ctstate UNTRACKED -j ACCEPT', '-t nat -I POSTROUTING -p vrrp -j RETURN', 'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18'].map((s) => r.indexOf(s));
    expect(order.every((x) => x >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r).toContain('nft insert rule ip raw output ip protocol vrrp notrack');
  });

  it('auth_type AH: the adverts are AH packets, so AH is untracked and deleted; IPv6 uses ip6tables', () => {
    const r = remedyFor({ router: 'gw', original: '2001:db8::1', translated: '2001:db8:1::1', dst: 'ff02::12', protocols: [51] }).join('\n');
    expect(r).toContain('ip6tables -t raw -I OUTPUT -p ah -j NOTRACK');
    expect(r).toContain('conntrack -D -p 51 -s 2001:db8::1 -d ff02::12');
  });

  it('says which steps the newest saved ruleset already has', () => {
    const rules = parseIptablesSave('*raw\n-A OUTPUT -p vrrp -j NOTRACK\nCOMMIT\n*filter\n-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT\nCOMMIT\n');
    const r = remedyFor({ router: 'gw', original: '198.51.100.175', translated: '203.0.113.1', dst: '224.0.0.18', protocols: [112], latest: { file: 'rules.3', rules } });
    expect(r.find((l) => l.includes('raw -I OUTPUT'))).toMatch(/# already in rules\.3 line 2/);
    expect(r.find((l) => l.includes('UNTRACKED -j ACCEPT'))).toMatch(/# already in rules\.3 line 5/);
    expect(r.find((l) => l.includes('POSTROUTING'))).not.toMatch(/already/);
  });
});
