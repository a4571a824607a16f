import { describe, expect, it } from 'vitest';
import { remedyFor } from '../../src/correlate/remedy.js';
import { parseIptablesSave, parseNftRuleset } from '../../src/sources/config/firewall.js';

/** The first command of each step that is not another syntax's form. */
const main = (r: ReturnType<typeof remedyFor>) => r.steps.map((s) => [s.n, s.action, s.protocol, s.commands.find((c) => !c.alternative)?.command]);

describe('remedyFor', () => {
  it('orders the fix: NOTRACK, accept UNTRACKED, exempt from SNAT, then delete the entry', () => {
    const r = remedyFor({ router: 'gw-a', original: '198.51.100.175', translated: '203.0.113.1', dst: '224.0.0.18', protocols: [112] });
    expect(r.for).toEqual({ kind: 'translation', router: 'gw-a', original: '198.51.100.175', translated: '203.0.113.1' });
    expect(main(r)).toEqual([
      [1, 'notrack', 'vrrp', 'iptables -t raw -I OUTPUT -p vrrp -j NOTRACK'],
      [2, 'accept-untracked', 'vrrp', 'iptables -I INPUT -p vrrp -m conntrack --ctstate UNTRACKED -j ACCEPT'],
      [3, 'exempt-from-snat', 'vrrp', 'iptables -t nat -I POSTROUTING -p vrrp -j RETURN'],
      [4, 'delete-entry', undefined, 'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18'],
    ]);
    // the nft form beside the iptables one, marked as an alternative
    expect(r.steps[0].commands.filter((c) => c.alternative === 'nft').map((c) => c.command)).toEqual([expect.stringContaining('nft insert rule ip raw output ip protocol vrrp notrack')]);
  });

  it('auth_type AH: the adverts are AH packets, so AH is untracked and deleted; IPv6 uses ip6tables', () => {
    const r = remedyFor({ router: 'gw', original: '2001:db8::1', translated: '2001:db8:1::1', dst: 'ff02::12', protocols: [51] });
    expect(main(r)[0]).toEqual([1, 'notrack', 'ah', 'ip6tables -t raw -I OUTPUT -p ah -j NOTRACK']);
    expect(r.steps.at(-1)!.commands).toEqual([{ command: 'conntrack -D -p 51 -s 2001:db8::1 -d ff02::12' }]);
  });

  it('says which steps the newest saved ruleset already has', () => {
    const rules = parseIptablesSave('*raw\n-A OUTPUT -p vrrp -j NOTRACK\nCOMMIT\n*filter\n-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT\nCOMMIT\n');
    const r = remedyFor({ router: 'gw', original: '198.51.100.175', translated: '203.0.113.1', dst: '224.0.0.18', protocols: [112], latest: { file: 'rules.3', rules } });
    expect(r.steps.map((s) => s.commands[0].alreadyIn ?? null)).toEqual([{ file: 'rules.3', line: 2 }, { file: 'rules.3', line: 5 }, null, null]);
  });

  it('an nft ruleset without an input chain or SNAT rule: the step says there is nothing to do, and why', () => {
    const rules = parseNftRuleset('table ip filter {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n');
    const r = remedyFor({ router: 'gw', original: '198.51.100.175', translated: '203.0.113.1', dst: '224.0.0.18', protocols: [112], latest: { file: 'nft.1', rules } });
    expect(r.steps.map((s) => [s.action, s.syntax, s.commands.length, s.nothingTo ?? null])).toEqual([
      ['notrack', 'nft', 3, null],
      ['accept-untracked', 'nft', 0, { missing: 'input-chain', file: 'nft.1' }],
      ['exempt-from-snat', 'nft', 0, { missing: 'snat-rule', file: 'nft.1' }],
      ['delete-entry', 'shell', 1, null],
    ]);
  });
});
