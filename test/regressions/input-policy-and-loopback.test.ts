import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { findingsOf } from '../../src/model/report.js';
import { parseRuleset } from '../../src/sources/config/firewall.js';
import { inboundDrop } from '../../src/sources/config/packet-path.js';
import { ROOT } from '../helpers/capture.js';

// Two misreadings of a host's INPUT rules hid a firewall that dropped the master's adverts. `-i` was not read, so
// `-A INPUT -i lo -j ACCEPT` — in nearly every ruleset — was taken to accept every advert and end the walk before any
// rule that dropped them; and a chain's DROP policy was never the answer, so a default-deny INPUT with no VRRP accept
// (samples/policy-drop) left the split brain without its cause.
describe('INPUT read as the kernel reads it: the loopback accept, and the policy', () => {
  const inbound = { src: '198.51.100.175', dst: '224.0.0.18', proto: 112 };

  it('a VRRP drop after `-i lo -j ACCEPT` is the rule that drops (was: none)', () => {
    const rs = parseRuleset('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p vrrp -j DROP\nCOMMIT\n')!;
    expect(inboundDrop(rs, inbound)).toMatchObject({ line: 4, text: '-A INPUT -p vrrp -j DROP' });
  });

  it('samples/policy-drop: the split brain is caused by gw-b\'s DROP policy (was: no cause, a contradiction only)', async () => {
    const r = await analyze([path.join(ROOT, 'samples', 'policy-drop')], { tz: 'UTC' });
    const [f] = findingsOf(r.findings, 'firewall-drop');
    expect(f.firewallDrop.rule).toMatchObject({ policy: true, chain: 'INPUT', line: 3 });
    expect(findingsOf(r.findings, 'split-brain').map((s) => s.causedBy)).toEqual([f.id]);
  });
});
