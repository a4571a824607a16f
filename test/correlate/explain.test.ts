import { describe, expect, it } from 'vitest';
import { explainTransition } from '../../src/correlate/explain.js';
import { Topology } from '../../src/correlate/topology.js';
import { ka } from './fixtures.js';

const topo = new Topology();
topo.addAddress('gw-b', '198.51.100.176', { how: 'syslog', evidence: { file: 'f', locator: 'line 1', at: null, text: '' } });
topo.addTranslated('192.0.2.1', { original: '198.51.100.177', router: 'gw-a', learned: { how: 'conntrack', evidence: { file: 'f', locator: 'line 1', at: null, text: '' } } });
const why = (to: string, msgs: string[], self = `(VI_1) Entering ${to} STATE`) => {
  const recent = msgs.map((m, i) => {
    const e = ka(i, 'h', m);
    return { e, at: e.time };
  });
  return explainTransition(to, recent, topo, ka(9, 'h', self))?.reason;
};

describe('explainTransition: VRRP election rules applied to what keepalived logged just before', () => {
  it('higher priority, naming the real router behind a translated address', () => {
    expect(why('BACKUP', ['(VI_1) Master received advert from 192.0.2.1 with higher priority 150, ours 100'])).toBe(
      'higher priority 150 from 192.0.2.1 (a translated address: really 198.51.100.177 of gw-a) (ours 100)');
  });
  it('equal priority: the tie is broken by the (translated) address', () => {
    expect(why('MASTER', ['(VI_1) Received advert from 192.0.2.1 with lower priority 100, ours 100, forcing new election'])).toMatch(/^equal priority 100: the tie is broken by source address, and 192\.0\.2\.1 \(a translated address/);
    expect(why('BACKUP', ['(VI_1) Master received advert from 198.51.100.176 with higher priority 100, ours 100'])).toMatch(/^equal priority 100: .*198\.51\.100\.176 \(gw-b\) won it/);
  });
  it('VRRPv3 checksum drops and unicast-peer drops explain a timeout', () => {
    expect(why('MASTER', ['(VI_1) Invalid VRRPv3 checksum', '(VI_1) Receive advertisement timeout'])).toMatch(/Invalid VRRPv3 checksum.*covers the source address/);
    expect(why('MASTER', ['(VI_1) unicast source address 192.0.2.1 not a unicast peer', '(VI_1) Receive advertisement timeout'])).toMatch(/not a unicast peer/);
  });
  it('priority 0 (resign), script-changed priority, and start-up', () => {
    expect(why('MASTER', ['(VI_1) Backup received priority 0 advertisement'])).toMatch(/resigned/);
    expect(why('BACKUP', ['(VI_1) Changing effective priority from 150 to 145', '(VI_1) Master received advert from 198.51.100.176 with higher priority 148, ours 145'])).toMatch(/changed by a check script to 145/);
    expect(why('BACKUP', [], '(VI_1) Entering BACKUP STATE (init)')).toBe('initial state at start-up');
    expect(why('MASTER', [])).toBeUndefined();
  });
});
