import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../../../src/sources/config/firewall.js';
import { acceptsUntracked, inboundDrop, natVerdict, verdictFor } from '../../../src/sources/config/packet-path.js';
import { ROOT } from '../../helpers/capture.js';

const GW_A = path.join(ROOT, 'samples/seed-snat/gw-a');
const advert = { src: '198.51.100.175', dst: '224.0.0.18', proto: 112, outIf: 'lan0' };
const load = (f: string) => parseRuleset(readFileSync(path.join(GW_A, f), 'utf8'))!;

describe('iptables-save (recorded, each step of the seed incident)', () => {
  it('1: the naive SNAT rule translates VRRP', () => {
    const v = verdictFor(load('iptables-save.1-naive-snat'), advert);
    expect([v.decision, v.rule?.text, v.rule?.toSource, v.rule?.line]).toEqual(['translated', '-A POSTROUTING -j SNAT --to-source 203.0.113.1', '203.0.113.1', 7]);
  });

  it('2: the VRRP exemption is first in POSTROUTING (but only new entries consult it)', () => {
    const v = verdictFor(load('iptables-save.2-vrrp-exempt'), advert);
    expect([v.decision, v.rule?.text]).toEqual(['exempt', '-A POSTROUTING -p vrrp -j ACCEPT']);
  });

  it('3: raw NOTRACK makes adverts untracked, and filter accepts UNTRACKED', () => {
    const rs = load('iptables-save.3-notrack');
    expect(verdictFor(rs, advert)).toMatchObject({ decision: 'untracked', rule: { table: 'raw', chain: 'OUTPUT', text: '-A OUTPUT -p vrrp -j NOTRACK' } });
    // the nat stage alone: what an entry would get if one were made (the exemption is there too)
    expect(natVerdict(rs, advert)).toMatchObject({ decision: 'exempt', rule: { line: 22 } });
    expect(acceptsUntracked(rs)?.text).toBe('-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT');
    expect(acceptsUntracked(load('iptables-save.1-naive-snat'))).toBeUndefined();
  });
});

describe('rule matching', () => {
  const save = (rules: string) => parseRuleset(`*nat\n:POSTROUTING ACCEPT [0:0]\n${rules}\nCOMMIT\n`)!;

  it.each([
    ['-A POSTROUTING -o wan0 -j MASQUERADE', 'no-rule'],
    ['-A POSTROUTING -o lan+ -j MASQUERADE', 'translated'],
    ['-A POSTROUTING -s 198.51.100.0/24 ! -d 224.0.0.0/4 -j SNAT --to-source 203.0.113.1', 'no-rule'],
    ['-A POSTROUTING -d 224.0.0.0/4 -j RETURN\n-A POSTROUTING -j SNAT --to-source 203.0.113.1', 'exempt'],
    ['-A POSTROUTING -m addrtype --dst-type MULTICAST -j RETURN\n-A POSTROUTING -j SNAT --to-source 203.0.113.1', 'exempt'],
    ['-A POSTROUTING -p 112 -j ACCEPT\n-A POSTROUTING -j SNAT --to-source 203.0.113.1', 'exempt'],
    ['-A POSTROUTING -p tcp -j SNAT --to-source 203.0.113.1', 'no-rule'],
    ['[8:320] -A POSTROUTING -s 198.51.100.0/24 -j SNAT --to-source 203.0.113.10-203.0.113.20 --random', 'translated'],
  ])('%s → %s', (rules, decision) => expect(verdictFor(save(rules), advert).decision).toBe(decision));

  it('AH-wrapped VRRP (proto 51) is not exempted by a -p vrrp rule', () => {
    const rs = save('-A POSTROUTING -p vrrp -j ACCEPT\n-A POSTROUTING -j SNAT --to-source 203.0.113.1');
    expect(verdictFor(rs, { ...advert, proto: 51 }).decision).toBe('translated');
  });

  it('a rule with a match this tool cannot evaluate is reported as maybe, not guessed', () => {
    const v = verdictFor(save('-A POSTROUTING -m mark --mark 0x1 -j ACCEPT\n-A POSTROUTING -j SNAT --to-source 203.0.113.1'), advert);
    expect([v.decision, v.maybe.map((r) => r.line)]).toEqual(['translated', [3]]);
  });
});

describe('user chains (as ufw, Docker and firewalld lay rules out)', () => {
  const save = (rules: string) => parseRuleset(`*nat\n:POSTROUTING ACCEPT [0:0]\n:LAN_OUT - [0:0]\n${rules}\nCOMMIT\n`)!;

  it('a SNAT in a chain POSTROUTING jumps to translates; the rule cited is the SNAT itself', () => {
    const v = verdictFor(save('-A POSTROUTING -j LAN_OUT\n-A LAN_OUT -s 198.51.100.0/24 -j SNAT --to-source 203.0.113.1'), advert);
    expect([v.decision, v.rule?.chain, v.rule?.line]).toEqual(['translated', 'LAN_OUT', 5]);
  });

  it('RETURN in a user chain goes back to POSTROUTING, which goes on with its next rule', () => {
    const rs = save('-A POSTROUTING -j LAN_OUT\n-A POSTROUTING -j SNAT --to-source 203.0.113.9\n-A LAN_OUT -p vrrp -j RETURN\n-A LAN_OUT -j SNAT --to-source 203.0.113.1');
    expect(verdictFor(rs, advert)).toMatchObject({ decision: 'translated', rule: { toSource: '203.0.113.9' } });
  });

  it('ACCEPT in a user chain ends nat for the packet; -g does not come back, so its RETURN is the exemption', () => {
    expect(verdictFor(save('-A POSTROUTING -j LAN_OUT\n-A POSTROUTING -j SNAT --to-source 203.0.113.9\n-A LAN_OUT -p vrrp -j ACCEPT'), advert)).toMatchObject({ decision: 'exempt', rule: { chain: 'LAN_OUT' } });
    expect(verdictFor(save('-A POSTROUTING -g LAN_OUT\n-A POSTROUTING -j SNAT --to-source 203.0.113.9\n-A LAN_OUT -p vrrp -j RETURN'), advert)).toMatchObject({ decision: 'exempt', rule: { chain: 'LAN_OUT', line: 6 } });
  });

  it('a damaged file whose chain jumps to itself over and over is walked within a bound, not forever', () => {
    const loops = Array.from({ length: 20 }, () => '-A LAN_OUT -j LAN_OUT').join('\n');
    const rs = save(`-A POSTROUTING -j LAN_OUT\n-A POSTROUTING -j SNAT --to-source 203.0.113.1\n${loops}`);
    const t0 = performance.now();
    const v = verdictFor(rs, advert);
    expect([v.decision, v.maybe.length]).toEqual(['translated', 20]); // each looping jump is named, not followed
    // no loop, but 10 jumps to the next chain 15 deep (10^15 paths): the walk stops at its budget and says where
    const deep = Array.from({ length: 15 }, (_, i) => `:C${i} -\n` + Array.from({ length: 10 }, () => `-A C${i} -j C${i + 1}`).join('\n')).join('\n');
    const dag = parseRuleset(`*nat\n:POSTROUTING ACCEPT [0:0]\n:C15 -\n${deep}\n-A POSTROUTING -j C0\nCOMMIT\n`)!;
    expect(verdictFor(dag, advert).maybe.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a RETURN that sends the advert back to a chain with nothing left to translate it is the exemption cited', () => {
    const rs = save('-A POSTROUTING -j LAN_OUT\n-A LAN_OUT -p vrrp -j RETURN\n-A LAN_OUT -j SNAT --to-source 203.0.113.1');
    expect(verdictFor(rs, advert)).toMatchObject({ decision: 'exempt', rule: { chain: 'LAN_OUT', line: 5 } });
    expect(verdictFor(rs, { ...advert, proto: 51 })).toMatchObject({ decision: 'translated', rule: { line: 6 } });
  });
});

describe('nft list ruleset', () => {
  const nft = `table ip nat {
\tchain postrouting {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\tip protocol vrrp accept
\t\tip daddr 224.0.0.0/4 return
\t\toifname "eth0" masquerade
\t\tsnat to 203.0.113.1
\t}
}
table inet raw { chain output { type filter hook output priority raw; policy accept;
\t\tmeta l4proto vrrp notrack } }
table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tct state untracked accept
\t}
}
`;
  it('reads nat, raw and filter rules with their lines', () => {
    const rs = parseRuleset(nft)!;
    expect(verdictFor(rs, advert)).toMatchObject({ decision: 'untracked', rule: { table: 'raw', line: 11 } });
    expect(acceptsUntracked(rs)?.line).toBe(16);
    const noRaw = parseRuleset(nft.replace(/table inet raw[\s\S]*?\} \}\n/, ''))!;
    expect(verdictFor(noRaw, advert)).toMatchObject({ decision: 'exempt', rule: { line: 4 } });
    const snatOnly = parseRuleset('table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tcounter packets 8 bytes 320 snat to 203.0.113.1\n\t}\n}\n')!;
    expect(verdictFor(snatOnly, advert)).toMatchObject({ decision: 'translated', rule: { toSource: '203.0.113.1', line: 4 } });
  });

  const named = (extra = '') => parseRuleset(`table inet gw {
\tchain srcnat {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\tjump lan_out
\t}

\tchain lan_out {
\t\tip saddr 198.51.100.0/24 snat ip to 203.0.113.1
\t}
${extra}}
table ip6 gw6 {
\tchain post {
\t\ttype nat hook postrouting priority srcnat - 5; policy accept;
\t\tip6 nexthdr vrrp accept
\t}
}
`)!;

  it('chains are known by hook and type, not by name; jumps are followed', () => {
    expect(verdictFor(named(), advert)).toMatchObject({ decision: 'translated', rule: { chain: 'lan_out', line: 8 } });
  });

  it('an exemption in an earlier nat chain of another table does not stop a later one (nft accept ends one chain)', () => {
    const rs = parseRuleset(`table ip early {\n\tchain p {\n\t\ttype nat hook postrouting priority srcnat - 10; policy accept;\n\t\tip protocol vrrp accept\n\t}\n}\n` + `table ip late {\n\tchain p {\n\t\ttype nat hook postrouting priority srcnat + 10; policy accept;\n\t\tsnat to 203.0.113.1\n\t}\n}\n`)!;
    expect(verdictFor(rs, advert)).toMatchObject({ decision: 'translated', rule: { table: 'late' } });
  });

  it('a raw chain registered after conntrack (priority > -200) cannot untrack; an ip6 table does not see IPv4', () => {
    const late = `\tchain rawish {\n\t\ttype filter hook output priority filter; policy accept;\n\t\tip protocol vrrp notrack\n\t}\n`;
    expect(verdictFor(named(late), advert).decision).toBe('translated');
    const early = late.replace('priority filter', 'priority -300');
    expect(verdictFor(named(early), advert)).toMatchObject({ decision: 'untracked', rule: { chain: 'rawish' } });
  });

  it('a rule matching on a set is a maybe, not a guess', () => {
    const rs = parseRuleset(`table ip nat {\n\tchain post {\n\t\ttype nat hook postrouting priority 100; policy accept;\n\t\tip daddr @no_nat accept\n\t\tsnat to 203.0.113.1\n\t}\n}\n`)!;
    const v = verdictFor(rs, advert);
    expect([v.decision, v.maybe.map((r) => r.line)]).toEqual(['translated', [4]]);
  });
});

describe('inboundDrop: what drops an incoming advert before keepalived', () => {
  const inbound = { src: '198.51.100.175', dst: '224.0.0.18', proto: 112 };
  const save = (table: string, chain: string, rules: string) => parseRuleset(`*${table}\n:${chain} ACCEPT [0:0]\n${rules}\nCOMMIT\n`)!;

  it('the recorded rule (firewall-drop gw-b), and nothing once it is removed', () => {
    const at = (f: string) => parseRuleset(readFileSync(path.join(ROOT, 'samples/firewall-drop/gw-b', f), 'utf8'))!;
    expect(inboundDrop(at('iptables-save.2-drop-vrrp'), inbound)).toMatchObject({ line: 6, chain: 'INPUT', text: '-A INPUT -d 224.0.0.18/32 -j DROP' });
    expect(inboundDrop(at('iptables-save.3-rule-removed'), inbound)).toBeUndefined();
    expect(inboundDrop(at('iptables-save.1-before'), inbound)).toBeUndefined();
  });

  it.each([
    ['raw', 'PREROUTING', '-A PREROUTING -p vrrp -j DROP', 3],
    ['filter', 'INPUT', '-A INPUT -d 224.0.0.0/4 -j DROP', 3],
    ['filter', 'INPUT', '-A INPUT -m conntrack --ctstate NEW -p vrrp -j DROP', 3],
    ['filter', 'INPUT', '-A INPUT -m conntrack --ctstate INVALID -j DROP', null],
    ['filter', 'INPUT', '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p vrrp -j DROP', 4],
    ['filter', 'INPUT', '-A INPUT -p vrrp -j ACCEPT\n-A INPUT -j DROP', null],
    ['filter', 'INPUT', '-A INPUT -m mark --mark 0x1 -j DROP', null],
    ['filter', 'OUTPUT', '-A OUTPUT -p vrrp -j DROP', null],
    ['nat', 'PREROUTING', '-A PREROUTING -p vrrp -j DROP', null],
  ])('%s %s: %s → line %s', (table, chain, rules, line) => expect(inboundDrop(save(table, chain, rules), inbound)?.line ?? null).toBe(line));

  it('nft: a filter input chain dropping VRRP', () => {
    const rs = parseRuleset('table inet fw {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tip protocol vrrp drop\n\t}\n}\n')!;
    expect(inboundDrop(rs, inbound)?.target).toBe('DROP');
  });

  describe('a DROP policy, and the interface an advert comes in on', () => {
    const deny = (rules: string) => parseRuleset(`*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}\nCOMMIT\n`)!;

    it('recorded (policy-drop): the default-deny snapshot drops by its policy line; the one accepting VRRP first does not', () => {
      const at = (f: string) => parseRuleset(readFileSync(path.join(ROOT, 'samples/policy-drop/gw-b', f), 'utf8'))!;
      expect(inboundDrop(at('iptables-save.2-default-deny'), inbound)).toMatchObject({ policy: true, line: 3, table: 'filter', chain: 'INPUT', text: ':INPUT DROP [0:0]', target: 'DROP' });
      expect(inboundDrop(at('iptables-save.3-vrrp-accepted'), inbound)).toBeUndefined();
      expect(inboundDrop(at('iptables-save.1-before'), inbound)).toBeUndefined();
    });

    it.each([
      // loopback is never where a peer's advert comes in: `-i lo -j ACCEPT` lets nothing of it through
      ['-A INPUT -i lo -j ACCEPT', undefined, 2],
      ['-A INPUT ! -i lo -j ACCEPT', undefined, null],
      // another interface than keepalived's: no match; its own: accepted; unknown: it may accept, so no claim
      ['-A INPUT -i eth9 -j ACCEPT', 'lan0', 2],
      ['-A INPUT -i lan0 -j ACCEPT', 'lan0', null],
      ['-A INPUT -i lan+ -j ACCEPT', 'lan0', null],
      ['-A INPUT -i lan0 -j ACCEPT', undefined, null],
      // a rule this tool cannot evaluate that may drop: the policy would drop anyway
      ['-A INPUT -m mark --mark 0x1 -j DROP', undefined, 2],
      ['-A INPUT -m mark --mark 0x1 -j ACCEPT', undefined, null],
      ['-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT', undefined, 2],
      ['-A INPUT -p vrrp -j ACCEPT', undefined, null],
    ])('%s (advert in on %s) → dropped at line %s', (rules, inIf, line) => {
      expect(inboundDrop(deny(rules), { ...inbound, ...(inIf ? { inIf } : {}) })?.line ?? null).toBe(line);
    });

    it('a walk cut short (more rules than it looks at) claims no drop by the policy: the rules not looked at may accept', () => {
      const many = Array.from({ length: 100_001 }, (_, k) => `-A INPUT -p tcp --dport ${k % 60000} -j DROP`).join('\n');
      expect(inboundDrop(deny(`${many}\n-A INPUT -p vrrp -j ACCEPT`), inbound)).toBeUndefined();
    });

    it('a DROP rule before the policy is cited, not the policy; an ACCEPT policy drops nothing', () => {
      expect(inboundDrop(deny('-A INPUT -p vrrp -j DROP'), inbound)).toMatchObject({ line: 4, text: '-A INPUT -p vrrp -j DROP' });
      expect(inboundDrop(deny('-A INPUT -p vrrp -j DROP'), inbound)?.policy).toBeUndefined();
      expect(inboundDrop(save('filter', 'INPUT', '-A INPUT -i lo -j ACCEPT'), inbound)).toBeUndefined();
    });

    it('nft: `policy drop;` on the input hook, `iif "lo" accept` and `iifname` read as the interface', () => {
      const rs = parseRuleset('table inet fw {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\tiif "lo" accept\n\t\tiifname "eth9" accept\n\t}\n}\n')!;
      expect(inboundDrop(rs, { ...inbound, inIf: 'lan0' })).toMatchObject({ policy: true, line: 3, family: 'inet', table: 'fw', chain: 'input', text: 'type filter hook input priority filter; policy drop;' });
      expect(inboundDrop(rs, { ...inbound, inIf: 'eth9' })).toBeUndefined();
    });
  });
});
