import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VrrpAdvertRecord } from '../../../src/model/records.js';
import { TCPDUMP, parseBytes, readAll } from '../../helpers/capture.js';
import { ether, ipv4, pbb, pcapHeader, pcapRecord, vrrp2 } from '../../helpers/craft.js';

const GW = [198, 51, 100, 175];
const MCAST = [224, 0, 0, 18];
const advert = () => ipv4(GW, MCAST, 112, vrrp2(150, 150, [[198, 51, 100, 254]]));

function one(linkType: number, frame: Buffer): VrrpAdvertRecord {
  const { records, info } = parseBytes(Buffer.concat([pcapHeader(linkType), pcapRecord(frame, 1_764_030_843, 542_611)]));
  expect(info.undecodable).toBe(0);
  expect(records).toHaveLength(1);
  return records[0] as VrrpAdvertRecord;
}

describe('link layers', () => {
  it('Ethernet keeps the source MAC', () => {
    const r = one(1, ether('52:54:00:aa:bb:01', 0x0800, advert()));
    expect([r.srcMac, r.src, r.vrid, r.priority]).toEqual(['52:54:00:aa:bb:01', '198.51.100.175', 150, 150]);
  });

  it('Ethernet with a stack of 802.1ad + 802.1Q + 802.1Q tags', () => {
    const r = one(1, ether('52:54:00:aa:bb:01', 0x0800, advert(), [[0x88a8, 200], [0x8100, 2001], [0x8100, 7]]));
    expect(r.vlans).toEqual([200, 2001, 7]);
    expect(r.src).toBe('198.51.100.175');
  });

  it('802.1ad_QinQ.pcap (tcpdump): the ARP inside two tags is reached (not gratuitous, so no record)', async () => {
    const { records, info } = await readAll(path.join(TCPDUMP, '802.1ad_QinQ.pcap'));
    expect([info.frames, info.undecodable, records.length]).toEqual([2, 0, 0]);
  });

  it('Linux SLL keeps the packet direction ("sent by us")', () => {
    const sll = Buffer.alloc(16);
    sll.writeUInt16BE(4, 0); sll.writeUInt16BE(1, 2); sll.writeUInt16BE(6, 4);
    Buffer.from('525400aabb01', 'hex').copy(sll, 6); sll.writeUInt16BE(0x0800, 14);
    const r = one(113, Buffer.concat([sll, advert()]));
    expect([r.direction, r.srcMac]).toEqual(['sent-by-us', '52:54:00:aa:bb:01']);
  });

  it('Linux SLL2 keeps the direction and the interface index (one packet can be seen on two interfaces)', () => {
    const sll2 = Buffer.alloc(20);
    sll2.writeUInt16BE(0x0800, 0); sll2.writeUInt32BE(3, 4); sll2.writeUInt16BE(1, 8); sll2[10] = 2; sll2[11] = 6;
    Buffer.from('525400aabb02', 'hex').copy(sll2, 12);
    const r = one(276, Buffer.concat([sll2, advert()]));
    expect([r.direction, r.srcMac, r.src, r.ifIndex]).toEqual(['multicast', '52:54:00:aa:bb:02', '198.51.100.175', 3]);
    expect(one(1, ether('52:54:00:aa:bb:01', 0x0800, advert())).ifIndex).toBeUndefined();
  });

  it.each([
    ['RAW (101)', 101, Buffer.alloc(0)],
    ['IPV4 (228)', 228, Buffer.alloc(0)],
    ['NULL, little-endian AF_INET', 0, Buffer.from([2, 0, 0, 0])],
    ['NULL, big-endian AF_INET', 0, Buffer.from([0, 0, 0, 2])],
    ['LOOP', 108, Buffer.from([0, 0, 0, 2])],
  ])('%s carries IPv4 without a link address', (_n, lt, prefix) => {
    const r = one(lt, Buffer.concat([prefix, advert()]));
    expect([r.src, r.srcMac]).toEqual(['198.51.100.175', undefined]);
  });

  it.each(['LINKTYPE_IPV4.pcap', 'LINKTYPE_IPV6.pcap', 'LINKTYPE_RAW_ipv4.pcap', 'LINKTYPE_RAW_ipv6.pcap'])('%s (tcpdump) is decodable', async (f) => {
    const { info } = await readAll(path.join(TCPDUMP, f));
    expect([info.frames, info.undecodable, info.error]).toEqual([1, 0, undefined]);
  });

  it('an unsupported link type is counted, not fatal', () => {
    const { info, records } = parseBytes(Buffer.concat([pcapHeader(147), pcapRecord(advert(), 1, 0)]));
    expect([info.frames, info.undecodable, info.linkTypes, records.length]).toEqual([1, 1, [147], 0]);
    expect(info.skipped).toEqual([{ linkType: 147, etherType: null, frames: 1 }]);
  });

  it('802.1ah PBB (B-tag, I-tag, the customer frame): the advert inside is decoded, with the I-SID and the customer MAC', () => {
    const r = one(1, pbb(0x12345, ether('52:54:00:aa:bb:01', 0x0800, advert()), 100));
    expect([r.src, r.vrid, r.srcMac, r.isid, r.vlans]).toEqual(['198.51.100.175', 150, '52:54:00:aa:bb:01', 0x12345, [100]]);
  });

  it('PBB without a B-tag, with a customer VLAN tag inside', () => {
    const r = one(1, pbb(7, ether('52:54:00:aa:bb:02', 0x0800, advert(), [[0x8100, 42]])));
    expect([r.src, r.isid, r.vlans, r.srcMac]).toEqual(['198.51.100.175', 7, [42], '52:54:00:aa:bb:02']);
  });

  it('frames of ethertypes not decoded are counted by ethertype (0x0000, LLDP), never as "link type 1"', () => {
    const frames = [ether('52:54:00:aa:bb:01', 0x0000, advert()), ether('52:54:00:aa:bb:01', 0x88cc, Buffer.alloc(30)),
      ether('52:54:00:aa:bb:01', 0x88cc, Buffer.alloc(30)), ether('52:54:00:aa:bb:01', 0x0800, advert())];
    const { info, records } = parseBytes(Buffer.concat([pcapHeader(1), ...frames.map((f, i) => pcapRecord(f, 1 + i, 0))]));
    expect(records).toHaveLength(1);
    expect(info.undecodable).toBe(0);
    expect(info.skipped).toEqual([{ linkType: 1, etherType: 0, frames: 1 }, { linkType: 1, etherType: 0x88cc, frames: 2 }]);
  });
});

describe('gratuitous ARP and unsolicited NA', () => {
  it('a gratuitous ARP reply announcing the VIP', () => {
    const arp = Buffer.from('0001080006040002' + '525400aabb01' + 'c63364fe' + 'ffffffffffff' + 'c63364fe', 'hex');
    const { records } = parseBytes(Buffer.concat([pcapHeader(1), pcapRecord(ether('52:54:00:aa:bb:01', 0x0806, arp), 5, 0)]));
    expect(records).toMatchObject([{ kind: 'garp', op: 2, senderMac: '52:54:00:aa:bb:01', address: '198.51.100.254', frame: 1 }]);
  });

  it('an ordinary ARP request is not a record', () => {
    const arp = Buffer.from('0001080006040001' + '525400aabb01' + 'c63364af' + '000000000000' + 'c63364fe', 'hex');
    expect(parseBytes(Buffer.concat([pcapHeader(1), pcapRecord(ether('52:54:00:aa:bb:01', 0x0806, arp), 5, 0)])).records).toEqual([]);
  });

  it('an unsolicited neighbour advertisement with override and target link-layer option', () => {
    const icmp = Buffer.concat([Buffer.from('88000000' + '20000000', 'hex'), Buffer.from('20010db8000800000000000000000254', 'hex'), Buffer.from('0201525400aabb01', 'hex')]);
    const ip6 = Buffer.alloc(40);
    ip6[0] = 0x60; ip6.writeUInt16BE(icmp.length, 4); ip6[6] = 58; ip6[7] = 255;
    Buffer.from('fe80000000000000505400fffeaabb01', 'hex').copy(ip6, 8);
    Buffer.from('ff020000000000000000000000000001', 'hex').copy(ip6, 24);
    const { records } = parseBytes(Buffer.concat([pcapHeader(229), pcapRecord(Buffer.concat([ip6, icmp]), 5, 0)]));
    expect(records).toMatchObject([{ kind: 'unsolicited-na', target: '2001:db8:8::254', override: true, targetMac: '52:54:00:aa:bb:01', dst: 'ff02::1' }]);
  });
});
