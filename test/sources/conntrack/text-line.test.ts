import { describe, expect, it } from 'vitest';
import { parseTextLine } from '../../../src/sources/conntrack/text-line.js';
import type { ConntrackEntry } from '../../../src/model/conntrack.js';

/** Real lines from ../shared/reference/conntrack.md ([lab] lines: kernel 6.18, conntrack-tools 1.4.7) and the seed. */
function entry(line: string): Omit<ConntrackEntry, 'file' | 'line'> {
  const r = parseTextLine(line);
  if (!('entry' in r)) throw new Error(`not parsed: ${JSON.stringify(r)}`);
  return r.entry;
}

describe('/proc/net/nf_conntrack', () => {
  it('acct off: the poisoned VRRP entry', () => {
    const e = entry('ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 mark=0 zone=0 use=2');
    expect(e).toMatchObject({ family: 'ipv4', protoName: 'unknown', protoNum: 112, timeout: 599, unreplied: true, mark: 0, zone: 0,
      orig: { src: '198.51.100.175', dst: '224.0.0.18' }, reply: { src: '224.0.0.18', dst: '203.0.113.1' } });
    expect(e.origCounters).toBeUndefined();
  });

  it('acct and timestamps on: counters per direction and delta-time', () => {
    const e = entry('ipv4     2 unknown  112 597 src=198.51.100.175 dst=224.0.0.18 packets=4 bytes=160 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 zone=0 delta-time=3 use=2');
    expect([e.origCounters, e.replyCounters, e.deltaTime]).toEqual([{ packets: 4, bytes: 160 }, { packets: 0, bytes: 0 }, 3]);
  });

  it('IPv6 printed expanded is read as the same address conntrack -L prints compressed', () => {
    const e = entry('ipv6     10 unknown  112 583 src=2001:0db8:0008:0000:0000:0000:0000:0175 dst=ff02:0000:0000:0000:0000:0000:0000:0012 packets=2 bytes=128 [UNREPLIED] src=ff02:0000:0000:0000:0000:0000:0000:0012 dst=2001:0db8:000e:0000:0000:0000:0000:0001 packets=0 bytes=0 mark=0 zone=0 delta-time=16 use=2');
    expect([e.family, e.orig.src, e.orig.dst, e.reply.dst]).toEqual(['ipv6', '2001:db8:8::175', 'ff02::12', '2001:db8:e::1']);
  });

  it('directional zone, DNAT tcp with state and ports, unicast replied, old secmark', () => {
    expect(entry('ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 zone-orig=7 packets=1 bytes=40 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 delta-time=0 use=2').zoneOrig).toBe(7);
    const tcp = entry('ipv4     2 tcp      6 59 CLOSE_WAIT src=203.0.113.2 dst=203.0.113.1 sport=39552 dport=2222 packets=3 bytes=164 src=198.51.100.176 dst=203.0.113.2 sport=22 dport=39552 packets=2 bytes=112 [ASSURED] mark=0 zone=0 delta-time=0 use=2');
    expect(tcp).toMatchObject({ protoNum: 6, state: 'CLOSE_WAIT', timeout: 59, assured: true, unreplied: false, orig: { sport: 39552, dport: 2222 }, reply: { src: '198.51.100.176', sport: 22 } });
    expect(entry('ipv4     2 unknown  112 596 src=192.168.101.72 dst=192.168.101.71 src=192.168.101.71 dst=192.168.101.72 mark=0 zone=0 use=2').unreplied).toBe(false);
    expect(entry('ipv4     2 udp      17 171 src=192.168.11.1 dst=192.168.11.2 sport=45669 dport=53 src=192.168.11.2 dst=192.168.11.1 sport=53 dport=45669 [ASSURED] mark=0 secmark=0 use=2').secmark).toBe(0);
  });

  it('an offloaded flow has no timeout', () => {
    const e = entry('ipv4     2 tcp      6 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 [OFFLOAD] mark=0 zone=0 use=3');
    expect([e.timeout, e.offload, e.state]).toEqual([undefined, 'OFFLOAD', 'ESTABLISHED']);
  });
});

describe('/proc/net/ip_conntrack (2.6 kernels)', () => {
  it('the seed line, with its swapped reply tuple', () => {
    const e = entry('unknown  112 599 src=192.168.8.175 dst=224.0.0.18 packets=11662 bytes=1072904 [UNREPLIED] src=1.1.1.1 dst=224.0.0.18 packets=0 bytes=0 mark=0 secmark=0 use=2');
    expect(e).toMatchObject({ protoNum: 112, timeout: 599, origCounters: { packets: 11662, bytes: 1072904 }, reply: { src: '1.1.1.1', dst: '224.0.0.18' }, secmark: 0 });
    expect(e.family).toBeUndefined();
  });

  it('IGMP and TCP', () => {
    expect(entry('unknown  2 580 src=10.10.43.13 dst=224.0.0.251 packets=2 bytes=64 [UNREPLIED] src=224.0.0.251 dst=10.10.43.13 packets=0 bytes=0 mark=0 secmark=0 use=2').protoNum).toBe(2);
    expect(entry('tcp      6 299 ESTABLISHED src=10.10.43.13 dst=10.10.47.93 sport=36699 dport=22 packets=5256 bytes=437137 src=10.10.47.93 dst=10.10.43.13 sport=22 dport=36699 packets=3523 bytes=572101 [ASSURED] mark=0 secmark=0 use=2').replyCounters).toEqual({ packets: 3523, bytes: 572101 });
  });
});

describe('conntrack -L', () => {
  it('default, -o id, -o extended,ktimestamp,id (dates with spaces), -f ipv6', () => {
    expect(entry('unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 mark=0 use=1').family).toBeUndefined();
    expect(entry('unknown  112 597 src=198.51.100.175 dst=224.0.0.18 packets=4 bytes=160 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 delta-time=4 use=1 id=3694056410').ctId).toBe(3694056410);
    const k = entry('ipv4     2 unknown  112 597 src=198.51.100.175 dst=224.0.0.18 packets=4 bytes=160 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 delta-time=4 [start=Wed Nov 25 00:36:30 2026] use=1 id=3694056410');
    expect([k.startText, k.deltaTime, k.ctId, k.reply.dst]).toEqual(['Wed Nov 25 00:36:30 2026', 4, 3694056410, '203.0.113.1']);
    expect(entry('unknown  112 583 src=2001:db8:8::175 dst=ff02::12 packets=2 bytes=128 [UNREPLIED] src=ff02::12 dst=2001:db8:e::1 packets=0 bytes=0 mark=0 delta-time=17 use=1').orig.src).toBe('2001:db8:8::175');
  });

  it('icmp tuples keep type/code/id apart from the conntrack id; labels', () => {
    const e = entry('icmp     1 29 src=198.51.100.1 dst=198.51.100.2 type=8 code=0 id=4242 src=198.51.100.2 dst=198.51.100.1 type=0 code=0 id=4242 mark=0 use=1 id=77 labels=vrrp,lab');
    expect([e.orig.type, e.orig.id, e.reply.type, e.reply.id, e.ctId, e.labels]).toEqual([8, 4242, 0, 4242, 77, ['vrrp', 'lab']]);
  });

  it('the stderr summary saved with 2>&1 is skipped, not an error', () => {
    expect(parseTextLine('conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.')).toEqual({ skip: true });
  });
});

describe('conntrack -E', () => {
  it('[NEW] and [DESTROY] with [USERSPACE], with and without -o timestamp', () => {
    const n = entry('    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1');
    expect([n.event, n.timeout, n.eventTime]).toEqual(['NEW', 600, undefined]);
    const d = entry('[1795566978.942691]\t[DESTROY] ipv4     2 unknown  112 598 src=198.51.100.175 dst=224.0.0.18 packets=3 bytes=120 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 delta-time=2 id=443349310 [USERSPACE] portid=3120881958');
    expect([d.event, d.eventTime, d.deltaTime, d.ctId, d.userspace]).toEqual(['DESTROY', 1795566978942691000n, 2, 443349310, { portid: 3120881958 }]);
    const u = entry('[1795567174.149889]\t [UPDATE] tcp      6 432000 ESTABLISHED src=203.0.113.2 dst=203.0.113.1 sport=39552 dport=2222 src=198.51.100.176 dst=203.0.113.2 sport=22 dport=39552 [ASSURED]');
    expect([u.event, u.state, u.timeout]).toEqual(['UPDATE', 'ESTABLISHED', 432000]);
    expect(entry('[DESTROY] unknown  112 599 src=1.2.3.4 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=1.2.3.4 [USERSPACE] portid=12 progname=conntrack').userspace).toEqual({ portid: 12, progname: 'conntrack' });
  });
});

describe('not entries', () => {
  it.each([
    'Nov 25 05:55:41 gw-a Keepalived_vrrp[5717]: (VI_1) Entering MASTER STATE',
    '-A POSTROUTING -j SNAT --to-source 203.0.113.1',
    'src=1.2.3.4 dst=5.6.7.8',
    'unknown 112 599 src=1.2.3.4 dst=224.0.0.18',
  ])('%s', (line) => {
    expect(parseTextLine(line)).toHaveProperty('error');
  });
});

describe('other protocol shapes', () => {
  it('gre keys, sctp and dccp ports with their states, secctx, helper', () => {
    const gre = entry('ipv4     2 gre      47 179 timeout=180, stream_timeout=18000 src=198.51.100.9 dst=203.0.113.7 srckey=0x0 dstkey=0x5e src=203.0.113.7 dst=203.0.113.1 srckey=0x5e dstkey=0x0 [ASSURED] mark=0 zone=0 use=2');
    expect([gre.protoNum, gre.timeout, gre.orig.dstkey, gre.reply.srckey, gre.reply.dst]).toEqual([47, 179, '0x5e', '0x5e', '203.0.113.1']);
    const sctp = entry('ipv4     2 sctp     132 3 ESTABLISHED src=198.51.100.9 dst=203.0.113.7 sport=5000 dport=6000 src=203.0.113.7 dst=198.51.100.9 sport=6000 dport=5000 [ASSURED] mark=0 secctx=system_u:object_r:unlabeled_t:s0 zone=0 use=2');
    expect([sctp.protoNum, sctp.state, sctp.orig.sport, sctp.secctx]).toEqual([132, 'ESTABLISHED', 5000, 'system_u:object_r:unlabeled_t:s0']);
    const dccp = entry('dccp     33 100 OPEN src=1.2.3.4 dst=5.6.7.8 sport=1 dport=2 src=5.6.7.8 dst=1.2.3.4 sport=2 dport=1 [ASSURED] mark=0 helper=ftp use=1');
    expect([dccp.protoNum, dccp.state, dccp.helper]).toEqual([33, 'OPEN', 'ftp']);
  });
});

describe('addresses', () => {
  it('a tuple address that is no IP address is no entry, named in the error (it would have become a translation to "garbage")', () => {
    const r = parseTextLine('[1795586141.743090]	    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=garbage');
    expect(r).toEqual({ error: 'not a conntrack entry (dst=garbage is not an IP address)' });
    expect(parseTextLine('unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1')).toHaveProperty('entry');
    expect(parseTextLine('ipv6     10 unknown  112 599 src=fe80:0000:0000:0000:5054:00ff:fe00:a001 dst=ff02:0000:0000:0000:0000:0000:0000:0012 [UNREPLIED] src=ff02::12 dst=fe80::5054:ff:fe00:a001 mark=0 use=2')).toHaveProperty('entry');
  });
});
