import { describe, expect, it } from 'vitest';
import type { CarpAdvertRecord, VrrpAdvertRecord } from '../../../src/model/records.js';
import { parseBytes } from '../../helpers/capture.js';
import { carp, ether, ipv4, pcapHeader, pcapRecord, vrrp2 } from '../../helpers/craft.js';

const MEMBER = [198, 51, 100, 2];
const NAT = [203, 0, 113, 1];
const MCAST = [224, 0, 0, 18];

function records(frame: Buffer, linkType = 1) {
  return parseBytes(Buffer.concat([pcapHeader(linkType), pcapRecord(frame, 1_764_030_843, 1)])).records;
}

describe('CARP on IP protocol 112', () => {
  it('a CARP advert is CARP: vhid, advskew, advbase, demotion, counter, checksum over the header', () => {
    const [r] = records(ether('00:00:5e:00:01:05', 0x0800, ipv4(MEMBER, MCAST, 112, carp(5, 100, 1, { demotion: 0 }))));
    expect(r.kind).toBe('carp');
    const c = r as CarpAdvertRecord;
    expect([c.version, c.type, c.vhid, c.advskew, c.authLen, c.advbase, c.demotion, c.counter, c.checksumStatus, c.truncated, c.length])
      .toEqual([2, 1, 5, 100, 7, 1, 0, '0123456789abcdef', 'ok', false, 36]);
    expect([c.src, c.srcMac, c.ttlOk]).toEqual(['198.51.100.2', '00:00:5e:00:01:05', true]);
  });

  it('is never read as VRRP (vrid, prio and seven "addresses" from its counter and HMAC)', () => {
    const rs = records(ether('00:00:5e:00:01:01', 0x0800, ipv4(MEMBER, MCAST, 112, carp(1, 1))));
    expect(rs.map((r) => r.kind)).toEqual(['carp']);
    expect(rs.some((r) => 'vrid' in r)).toBe(false);
  });

  it('a VRRPv2 advert with seven addresses (same first bytes) is still VRRP: 44 bytes, not 36', () => {
    const vips = [...Array(7)].map((_, i) => [198, 51, 100, 10 + i]);
    const [r] = records(ether('52:54:00:00:00:01', 0x0800, ipv4(MEMBER, MCAST, 112, vrrp2(1, 100, vips, 'pass'))));
    expect(r.kind).toBe('vrrp');
    expect([(r as VrrpAdvertRecord).count, (r as VrrpAdvertRecord).addresses?.length, (r as VrrpAdvertRecord).checksumStatus]).toEqual([7, 7, 'ok']);
  });

  it('NAT rewrites the source but not the CARP checksum (it covers the header alone); a damaged header fails it', () => {
    const [t] = records(ipv4(NAT, MCAST, 112, carp(5, 0)), 228) as CarpAdvertRecord[];
    expect([t.kind, t.src, t.checksumStatus]).toEqual(['carp', '203.0.113.1', 'ok']);
    const bad = carp(5, 0);
    bad[2] = 7;
    expect((records(ipv4(MEMBER, MCAST, 112, bad), 228)[0] as CarpAdvertRecord).checksumStatus).toBe('bad');
  });

  it('a CARP advert cut short keeps what was captured, flagged truncated, checksum unknown', () => {
    const ip = ipv4(MEMBER, MCAST, 112, carp(9, 50, 2));
    const [c] = records(ip.subarray(0, 20 + 12), 228) as CarpAdvertRecord[];
    expect([c.kind, c.vhid, c.advskew, c.advbase, c.counter, c.checksumStatus, c.truncated]).toEqual(['carp', 9, 50, 2, undefined, 'unknown', true]);
  });
});
