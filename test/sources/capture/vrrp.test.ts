import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../../src/model/address.js';
import type { VrrpAdvertRecord } from '../../../src/model/records.js';
import { v3RequiredSourceSum, v3ValidForSource } from '../../../src/sources/capture/vrrp.js';
import { parseBytes } from '../../helpers/capture.js';
import { ipv4, pcapHeader, pcapRecord, vrrp2, vrrp3, vrrp3NoPseudo } from '../../helpers/craft.js';

const REAL = [198, 51, 100, 175];
const NAT = [203, 0, 113, 1];
const MCAST = [224, 0, 0, 18];

function decode(ip: Buffer): VrrpAdvertRecord {
  const { records } = parseBytes(Buffer.concat([pcapHeader(228), pcapRecord(ip, 1_764_030_843, 1)]));
  return records[0] as VrrpAdvertRecord;
}

describe('VRRPv3 checksum as proof of translation', () => {
  // keepalived computed the checksum with its real source; SNAT rewrote the IP source afterwards
  const translated = decode(ipv4(NAT, MCAST, 112, vrrp3(REAL, MCAST, 150, 150, [[198, 51, 100, 254]])));

  it('fails the checksum with the translated source on the wire', () => {
    expect([translated.src, translated.checksumStatus, translated.version]).toEqual(['203.0.113.1', 'bad', 3]);
  });

  it('would be valid with the router\'s real address and not with another candidate', () => {
    const partial = translated.v3PartialSum!;
    expect(v3ValidForSource(partial, parseIpv4('198.51.100.175')!)).toBe(true);
    expect(v3ValidForSource(partial, parseIpv4('198.51.100.176')!)).toBe(false);
    expect(v3ValidForSource(partial, parseIpv4('203.0.113.1')!)).toBe(false);
  });

  it('gives the sum the real source must have (recovering it from config candidates)', () => {
    const need = v3RequiredSourceSum(translated.v3PartialSum!);
    const sumOf = (a: number[]) => { let s = ((a[0] << 8) | a[1]) + ((a[2] << 8) | a[3]); while (s > 0xffff) s = (s & 0xffff) + (s >>> 16); return s; };
    expect(sumOf(REAL)).toBe(need);
  });

  it('an untranslated v3 advert is valid', () => {
    expect(decode(ipv4(REAL, MCAST, 112, vrrp3(REAL, MCAST, 150, 150, [[198, 51, 100, 254]]))).checksumStatus).toBe('ok');
  });
});

describe('VRRPv3/IPv4 checksum conventions (RFC 5798 pseudo-header, or the message alone as Cisco IOS computes it)', () => {
  const VIP = [[198, 51, 100, 254]];
  it('pseudo-header form, untranslated: ok, convention pseudo-header', () => {
    const r = decode(ipv4(REAL, MCAST, 112, vrrp3(REAL, MCAST, 150, 150, VIP)));
    expect([r.checksumStatus, r.checksumConvention]).toEqual(['ok', 'pseudo-header']);
  });

  it('pseudo-header form, translated: fails for the seen source and under no other convention — the NAT proof', () => {
    const r = decode(ipv4(NAT, MCAST, 112, vrrp3(REAL, MCAST, 150, 150, VIP)));
    expect([r.checksumStatus, r.checksumConvention]).toEqual(['bad', 'neither']);
    expect(v3ValidForSource(r.v3PartialSum!, parseIpv4('198.51.100.175')!)).toBe(true);
  });

  it('no-pseudo-header form (Cisco IOS), untranslated: ok, not "bad checksum"', () => {
    const r = decode(ipv4(REAL, MCAST, 112, vrrp3NoPseudo(150, 150, VIP)));
    expect([r.checksumStatus, r.checksumConvention]).toEqual(['ok', 'no-pseudo-header']);
  });

  it('no-pseudo-header form, translated: still ok — it does not cover the source, so it proves nothing about NAT', () => {
    const r = decode(ipv4(NAT, MCAST, 112, vrrp3NoPseudo(150, 150, VIP)));
    expect([r.checksumStatus, r.checksumConvention]).toEqual(['ok', 'no-pseudo-header']);
  });

  it('no-pseudo-header form with a damaged message: bad under both conventions', () => {
    const v = vrrp3NoPseudo(150, 150, VIP);
    v[2] = 151;
    const r = decode(ipv4(REAL, MCAST, 112, v));
    expect([r.checksumStatus, r.checksumConvention]).toEqual(['bad', 'neither']);
  });
});

describe('VRRPv2', () => {
  it('NAT does not break a v2 checksum (it covers only the VRRP message)', () => {
    const r = decode(ipv4(NAT, MCAST, 112, vrrp2(150, 150, [[198, 51, 100, 254]], 'secret12')));
    expect([r.checksumStatus, r.authType, r.authData, r.interval, r.intervalUnit]).toEqual(['ok', 1, 'secret12', 1, 's']);
  });

  it('flags a TTL other than 255', () => {
    const r = decode(ipv4(REAL, MCAST, 112, vrrp2(1, 100, []), 64));
    expect([r.ttl, r.ttlOk]).toEqual([64, false]);
  });

  it('a corrupted message fails its checksum', () => {
    const v = vrrp2(150, 150, [[198, 51, 100, 254]]);
    v[2] = 151;
    expect(decode(ipv4(REAL, MCAST, 112, v)).checksumStatus).toBe('bad');
  });

  it('a record\'s fields come in one order, the one adverts --json lists them in (v2 with auth, v3 with its checksum sums)', () => {
    const base = ['kind', 'file', 'frame', 'offset', 'time', 'precision', 'interface', 'caplen', 'origlen', 'ipVersion', 'src', 'dst', 'ttl', 'ipChecksumOk'];
    const v2 = decode(ipv4(NAT, MCAST, 112, vrrp2(150, 150, [[198, 51, 100, 254]], 'secret12')));
    expect(Object.keys(v2)).toEqual([
      ...base, 'version', 'type', 'length', 'checksumStatus', 'truncated', 'vrid', 'priority', 'authType', 'interval', 'intervalUnit', 'count', 'checksum',
      'addresses', 'authData', 'ttlOk',
    ]);
    const v3 = decode(ipv4(REAL, MCAST, 112, vrrp3(REAL, MCAST, 150, 150, [[198, 51, 100, 254]])));
    expect(Object.keys(v3)).toEqual([
      ...base, 'version', 'type', 'length', 'checksumStatus', 'truncated', 'vrid', 'priority', 'interval', 'intervalUnit', 'count', 'v3PartialSum',
      'checksumConvention', 'checksum', 'addresses', 'ttlOk',
    ]);
  });

  it('VRRP inside AH (keepalived auth_type AH) is reached', () => {
    const ah = Buffer.concat([Buffer.from([112, 4, 0, 0]), Buffer.alloc(20)]); // next header VRRP, length (4+2)*4 = 24
    const r = decode(ipv4(REAL, MCAST, 51, Buffer.concat([ah, vrrp2(7, 200, [[198, 51, 100, 254]])])));
    expect([r.ah, r.vrid, r.priority, r.checksumStatus]).toEqual([true, 7, 200, 'ok']);
  });
});
