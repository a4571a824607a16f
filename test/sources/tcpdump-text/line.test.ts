import { describe, expect, it } from 'vitest';
import { looksLikeTcpdumpText, parseGarp, parseHead, parseIpDetails, parseVrrp } from '../../../src/sources/tcpdump-text/line.js';

const V = '203.0.113.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 150, prio 150, authtype simple, intvl 1s, length 20';

describe('tcpdump text lines', () => {
  it('every stamp form, -#, -i any and -e', () => {
    expect(parseHead(`05:55:41.743047 IP ${V}`)).toMatchObject({ stamp: { kind: 'time-of-day', hour: 5, minute: 55, second: 41, frac: '743047' }, rest: `IP ${V}` });
    expect(parseHead(`2026-11-25 05:55:41.743041408 IP ${V}`)?.stamp).toMatchObject({ kind: 'date', year: 2026, month: 10, day: 25, frac: '743041408' });
    expect(parseHead(`1795586141.743047 IP ${V}`)?.stamp).toEqual({ kind: 'epoch', seconds: 1795586141n, frac: '743047' });
    expect(parseHead(`   12  1795586141.743047 IP ${V}`)).toMatchObject({ frame: 12 });
    expect(parseHead(`05:55:41.743041 ifb0  Out IP ${V}`)).toMatchObject({ iface: 'ifb0', direction: 'sent-by-us', rest: `IP ${V}` });
    expect(parseHead(`05:55:41.743047 52:54:00:00:a0:01 > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: ${V}`)).toMatchObject({ srcMac: '52:54:00:00:a0:01', linkLength: 54, rest: V });
    expect(parseHead(`05:55:41.743041 ifb0  Out ifindex 2 52:54:00:00:a0:01 ethertype IPv4 (0x0800), length 60: ${V}`)).toMatchObject({ iface: 'ifb0', srcMac: '52:54:00:00:a0:01', rest: V });
    expect(parseHead(`05:55:41.743047 52:54:00:00:a0:01 > 01:00:5e:00:00:12, ethertype 802.1Q (0x8100), length 58: vlan 10, p 0, ethertype IPv4 (0x0800), ${V}`)).toMatchObject({ srcMac: '52:54:00:00:a0:01' });
    // -ttt deltas and -t carry no time that can be placed: not packet lines
    expect(parseHead(` 00:00:01.000281 IP ${V}`)).toBeNull();
    expect(parseHead(`IP ${V}`)).toBeNull();
  });

  it('-v details, VRRP fields, AH, bad checksums, gratuitous ARP', () => {
    expect(parseIpDetails('IP (tos 0xc0, ttl 255, id 1, offset 0, flags [none], proto VRRP (112), length 40)')).toEqual({ details: { ipVersion: 4, ttl: 255, proto: 112, length: 40 }, after: '' });
    expect(parseIpDetails(`IP6 (hlim 255, next-header VRRP (112), payload length 40) ${V}`)).toMatchObject({ details: { ipVersion: 6, ttl: 255, proto: 112 }, after: V });
    expect(parseVrrp(`IP ${V}, addrs: 198.51.100.254 auth "s3cr3t-v"`)).toMatchObject({ src: '203.0.113.1', vrid: 150, priority: 150, authType: 1, interval: 1, intervalUnit: 's', addresses: ['198.51.100.254'], authData: 's3cr3t-v', ah: false });
    expect(parseVrrp('203.0.113.1 > 198.51.100.176: VRRPv3, Advertisement, vrid 150, prio 150, intvl 100cs, length 12, (bad vrrp cksum b68e), addrs: 198.51.100.254')).toMatchObject({ version: 3, badChecksum: 0xb68e, intervalUnit: 'cs', interval: 100 });
    expect(parseVrrp('198.51.100.176 > 224.0.0.18: AH(length=4(24-bytes),spi=0xc63364b0,seq=0x1,icv=0x040e368605d5a95fc534884c): VRRPv2, Advertisement, vrid 150, prio 100, authtype ah, intvl 1s, length 20, addrs: 198.51.100.254')).toMatchObject({ ah: true, authType: 2 });
    expect(parseVrrp('IP 198.51.100.1.22 > 198.51.100.2.50000: Flags [P.], length 20')).toBeNull();
    expect(parseGarp('ARP, Request who-has 198.51.100.254 (ff:ff:ff:ff:ff:ff) tell 198.51.100.254, length 28')).toEqual({ op: 1, address: '198.51.100.254' });
    expect(parseGarp('Request who-has 198.51.100.1 tell 198.51.100.9, length 28')).toBeNull();
    expect(parseGarp('ARP, Reply 198.51.100.254 is-at 00:00:5e:00:01:96, length 28')).toEqual({ op: 2, address: '198.51.100.254', mac: '00:00:5e:00:01:96' });
  });

  it('tells tcpdump text from a log or a ticket quoting one line', () => {
    expect(looksLikeTcpdumpText([`05:55:41.743047 IP ${V}`, `05:55:42.743047 IP ${V}`])).toBe(true);
    expect(looksLikeTcpdumpText(['05:55:41.743047 IP (tos 0xc0, ttl 255, id 1, offset 0, flags [none], proto VRRP (112), length 40)', `    ${V}, addrs: 198.51.100.254`])).toBe(true);
    expect(looksLikeTcpdumpText([` 00:00:00.000000 IP ${V}`, `IP ${V}`])).toBe(true);
    expect(looksLikeTcpdumpText(['Nov 25 05:55:41 gw-b Keepalived_vrrp[5712]: (VI_1) Entering BACKUP STATE'])).toBe(false);
    expect(looksLikeTcpdumpText(['The backup saw this:', `05:55:41.743047 IP ${V}`, 'and then', 'it', 'flapped'])).toBe(false);
  });
});
