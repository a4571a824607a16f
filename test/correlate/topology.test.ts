import { describe, expect, it } from 'vitest';
import { Topology } from '../../src/correlate/topology.js';
import type { VrrpAdvertRecord } from '../../src/model/records.js';
import { parseKeepalivedConf } from '../../src/sources/config/keepalived-conf.js';
import { parseBytes } from '../helpers/capture.js';
import { ether, ipv4, pcapHeader, pcapRecord, vrrp3, vrrp3NoPseudo } from '../helpers/craft.js';

/** A VRRPv3 advert made by 198.51.100.175 whose IP source NAT rewrote to `wireSrc`. */
function natted(wireSrc: number[]): VrrpAdvertRecord {
  const real = [198, 51, 100, 175];
  const dst = [224, 0, 0, 18];
  const frame = ether('52:54:00:00:a0:01', 0x0800, ipv4(wireSrc, dst, 112, vrrp3(real, dst, 150, 150, [[198, 51, 100, 254]])));
  const { records } = parseBytes(Buffer.concat([pcapHeader(1), pcapRecord(frame, 1795587840, 0)]));
  return records[0] as VrrpAdvertRecord;
}

describe('Topology', () => {
  const conf = (src: string) => parseKeepalivedConf(`vrrp_instance VI_1 {\n interface lan0\n virtual_router_id 150\n priority 150\n unicast_src_ip ${src}\n unicast_peer {\n  198.51.100.176\n }\n}\n`, 'gw.conf');

  it('an address learned from keepalived.conf is cited by its instance and directive', () => {
    const topo = new Topology();
    topo.addConf('gw-a', conf('198.51.100.175'));
    expect(topo.routers.get('gw-a')!.addresses.get('198.51.100.175')).toEqual({
      how: 'keepalived.conf', evidence: { file: 'gw.conf', locator: 'line 1', at: null, text: 'unicast_src_ip 198.51.100.175', role: { kind: 'config-instance', instance: 'VI_1' } },
    });
  });

  it('a bad VRRPv3 checksum that holds for a configured address recovers the real sender', () => {
    const topo = new Topology();
    topo.addConf('gw-a', conf('198.51.100.175'));
    const r = natted([203, 0, 113, 1]);
    expect(r.checksumStatus).toBe('bad');
    expect(topo.resolve(r)).toEqual({ router: 'gw-a', original: '198.51.100.175', translated: true, how: 'checksum' });
  });

  it('a Cisco-style checksum (no pseudo-header) is no NAT proof: it holds whatever the source, so nothing is recovered', () => {
    const topo = new Topology();
    topo.addConf('gw-a', conf('198.51.100.175'));
    const frame = ether('52:54:00:00:a0:09', 0x0800, ipv4([203, 0, 113, 1], [224, 0, 0, 18], 112, vrrp3NoPseudo(150, 150, [[198, 51, 100, 254]])));
    const r = parseBytes(Buffer.concat([pcapHeader(1), pcapRecord(frame, 1795587840, 0)])).records[0] as VrrpAdvertRecord;
    expect([r.checksumStatus, r.checksumConvention]).toEqual(['ok', 'no-pseudo-header']);
    expect(topo.resolve(r)).toEqual({ original: '203.0.113.1', translated: false });
  });

  it('a bad checksum that holds for no candidate is not called a translation', () => {
    const topo = new Topology();
    topo.addConf('gw-x', conf('198.51.100.9'));
    expect(topo.resolve(natted([203, 0, 113, 1]))).toMatchObject({ translated: false, original: '203.0.113.1' });
  });

  it('a SNAT target from a ruleset names its router; a conntrack reply tuple names the exact original', () => {
    const topo = new Topology();
    topo.addConf('gw-a', conf('198.51.100.175'));
    const ev = { file: 'f', locator: 'line 1', at: null, text: '' };
    topo.addTranslated('203.0.113.1', { router: 'gw-a', learned: { how: 'firewall', evidence: ev } });
    const r = { ...natted([203, 0, 113, 1]), checksumStatus: 'ok' as const, version: 2 };
    expect(topo.resolve(r)).toMatchObject({ router: 'gw-a', original: '198.51.100.175', how: 'firewall' });
    topo.addTranslated('203.0.113.1', { original: '198.51.100.175', router: 'gw-a', learned: { how: 'conntrack', evidence: ev } });
    expect(topo.resolve(r).how).toBe('conntrack');
    // an own address is never "translated", whatever else is known
    expect(topo.resolve({ ...r, src: '198.51.100.175' })).toEqual({ router: 'gw-a', original: '198.51.100.175', translated: false });
  });
});
