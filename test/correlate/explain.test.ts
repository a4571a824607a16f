import { describe, expect, it } from 'vitest';
import { dropOf, explainTransition, peerIn } from '../../src/correlate/explain.js';
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
    expect(why('BACKUP', ['(VI_1) Master received advert from 192.0.2.1 with higher priority 150, ours 100'])).toEqual({
      kind: 'higher-priority', peerPriority: 150, ownPriority: 100, peer: { address: '192.0.2.1', translated: { original: '198.51.100.177', router: 'gw-a' } },
    });
  });
  it('equal priority: the tie is broken by the (translated) address', () => {
    expect(why('MASTER', ['(VI_1) Received advert from 192.0.2.1 with lower priority 100, ours 100, forcing new election'])).toEqual({
      kind: 'tie-break', outcome: 'won', priority: 100, peer: { address: '192.0.2.1', translated: { original: '198.51.100.177', router: 'gw-a' } },
    });
    expect(why('BACKUP', ['(VI_1) Master received advert from 198.51.100.176 with higher priority 100, ours 100'])).toEqual({
      kind: 'tie-break', outcome: 'lost', priority: 100, peer: { address: '198.51.100.176', owner: 'gw-b' },
    });
  });
  it('VRRPv3 checksum drops and unicast-peer drops explain a timeout', () => {
    expect(why('MASTER', ['(VI_1) Invalid VRRPv3 checksum', '(VI_1) Receive advertisement timeout'])).toEqual({ kind: 'advert-timeout', dropped: { by: 'checksum', version: 3 } });
    expect(why('MASTER', ['(VI_1) Invalid VRRPv3 checksum'])).toEqual({ kind: 'never-heard', dropped: { by: 'checksum', version: 3 } });
    expect(why('MASTER', ['(VI_1) unicast source address 192.0.2.1 not a unicast peer', '(VI_1) Receive advertisement timeout'])).toMatchObject({ kind: 'advert-timeout', dropped: { by: 'not-unicast-peer', peer: { address: '192.0.2.1' } } });
    expect(why('MASTER', ['(VI_1) Receive advertisement timeout'])).toEqual({ kind: 'advert-timeout' });
  });
  it('priority 0 (resign), script-changed priority, and start-up', () => {
    expect(why('MASTER', ['(VI_1) Backup received priority 0 advertisement'])).toEqual({ kind: 'resignation', by: 'master' });
    expect(why('BACKUP', ['(VI_1) Changing effective priority from 150 to 145', '(VI_1) Master received advert from 198.51.100.176 with higher priority 148, ours 145'])).toMatchObject({ kind: 'higher-priority', peerPriority: 148, ownPriority: 145, scriptPriority: 145 });
    expect(why('BACKUP', [], '(VI_1) Entering BACKUP STATE (init)')).toEqual({ kind: 'start-up' });
    expect(why('MASTER', [])).toBeUndefined();
  });

  it('the reason names the peer it is about (dropOf, peerIn: what findings decide on, never the words)', () => {
    const timeout = why('MASTER', ['(VI_1) Invalid VRRPv3 checksum', '(VI_1) Receive advertisement timeout']);
    expect(dropOf(timeout)?.by).toBe('checksum');
    expect(dropOf(why('MASTER', ['(VI_1) Receive advertisement timeout']))).toBeUndefined();
    expect(peerIn(why('BACKUP', ['(VI_1) Master received advert from 192.0.2.1 with higher priority 150, ours 100']))?.translated).toEqual({ original: '198.51.100.177', router: 'gw-a' });
    expect(peerIn({ kind: 'start-up' })).toBeUndefined();
  });
});
