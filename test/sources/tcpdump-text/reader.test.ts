import { utimesSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareZone, wallClockToEpochMs } from '../../../src/model/instant.js';
import type { CaptureRecord, VrrpAdvertRecord } from '../../../src/model/records.js';
import { readCapture } from '../../../src/sources/capture/reader.js';
import { readTcpdumpText, TcpdumpTextParser, type TcpdumpTextInfo } from '../../../src/sources/tcpdump-text/reader.js';
import { ROOT } from '../../helpers/capture.js';
import { vrrp3NoPseudo } from '../../helpers/craft.js';

const FIX = path.join(ROOT, 'test/fixtures/tcpdump-text');
const CORPUS = path.join(ROOT, 'test/fixtures/corpus/tcpdump');
const UTC = { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') };

async function all<R, I>(gen: AsyncGenerator<R[], I>): Promise<{ records: R[]; info: I }> {
  const records: R[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { records, info: r.value };
    records.push(...r.value);
  }
}
const text = (file: string) => all(readTcpdumpText(file, UTC));
const pcap = async (file: string) => (await all(readCapture(file))).records;
const adverts = (rs: CaptureRecord[]) => rs.filter((r): r is VrrpAdvertRecord => r.kind === 'vrrp');
/** the fields tcpdump prints without -v */
const plain = (r: VrrpAdvertRecord) => ({ src: r.src, dst: r.dst, version: r.version, vrid: r.vrid, priority: r.priority, interval: r.interval, intervalUnit: r.intervalUnit, authType: r.authType, length: r.length });

describe('tcpdump text as capture evidence: the same adverts as the capture it was printed from', () => {
  it('tcpdump\'s own vrrp.out and vrrp-v.out (-#, -tttt, v2/v3, IPv4/IPv6): every advert of vrrp.pcap, field for field', async () => {
    const fromPcap = adverts(await pcap(path.join(CORPUS, 'vrrp.pcap')));
    const out = await text(path.join(CORPUS, 'vrrp.out'));
    const outV = await text(path.join(CORPUS, 'vrrp-v.out'));
    expect(fromPcap.length).toBeGreaterThan(100);
    for (const t of [out, outV]) {
      const a = adverts(t.records);
      expect(a.map((r) => r.frame)).toEqual(fromPcap.map((r) => r.frame));
      expect(a.map((r) => r.time)).toEqual(fromPcap.map((r) => r.time));
      expect(a.map(plain)).toEqual(fromPcap.map(plain));
      expect(t.info).toMatchObject({ format: 'tcpdump-text', dateFrom: 'lines', records: a.length });
      expect(t.info.problems).toEqual([]);
    }
    // -v adds the TTL, the addresses, the auth string and the checksum verdict
    const v = adverts(outV.records);
    expect(v.map((r) => [r.addresses, r.authData, r.ttl, r.checksumStatus])).toEqual(fromPcap.map((r) => [r.addresses, r.authData, r.ttl, r.checksumStatus]));
    expect(v.every((r) => r.line !== undefined)).toBe(true);
    expect(adverts(out.records).every((r) => r.checksumStatus === 'unknown')).toBe(true);
  });

  it('the seed-snat peer capture in four forms (default, -e -tttt -#, -tt -v, --nano -i any): times, MACs, directions, addresses as the pcap has them', async () => {
    const b = adverts(await pcap(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap')));
    const e = await text(path.join(FIX, 'seed-snat-gw-b.e-tttt.txt'));
    expect(adverts(e.records).map((r) => [r.frame, r.time, r.srcMac, ...Object.values(plain(r))])).toEqual(b.map((r) => [r.frame, r.time, r.srcMac, ...Object.values(plain(r))]));
    // gratuitous ARPs with -e: the MAC that announced the virtual address
    const garps = e.records.filter((r) => r.kind === 'garp');
    expect(garps.length).toBe((await pcap(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'))).filter((r) => r.kind === 'garp').length);
    expect(garps[0]).toMatchObject({ address: '198.51.100.254', senderMac: '52:54:00:00:b0:01', line: 2 });
    const tv = adverts((await text(path.join(FIX, 'seed-snat-gw-b.tt-v.txt'))).records);
    expect(tv.map((r) => [r.time, r.addresses, r.ttl, r.checksumStatus])).toEqual(b.map((r) => [r.time, r.addresses, r.ttl, r.checksumStatus]));
    // -v puts IPv4's VRRP part on the next line: the record cites the first
    expect(tv[1]).toMatchObject({ line: 3, src: '203.0.113.1', priority: 150 });
    const a = adverts(await pcap(path.join(ROOT, 'samples/seed-snat/gw-a/any.pcap')));
    const nano = adverts((await text(path.join(FIX, 'seed-snat-gw-a.nano.txt'))).records);
    expect(nano.map((r) => [r.time, r.direction, r.precision])).toEqual(a.map((r) => [r.time, r.direction, 9]));
    const any = adverts((await text(path.join(FIX, 'seed-snat-gw-a.any-e-tttt.txt'))).records);
    expect(any.map((r) => [r.srcMac, r.direction, r.interface.name])).toEqual(a.map((r) => [r.srcMac, r.direction, 'ifb0']));
  });

  it('-v of a translated VRRPv3 advert: the partial sum rebuilt from the printed fields equals the one from the packet', async () => {
    const p = adverts(await pcap(path.join(ROOT, 'samples/vrrpv3-unicast/gw-b/lan0.pcapng')));
    const t = adverts((await text(path.join(FIX, 'vrrpv3-unicast-gw-b.v-tttt.txt'))).records);
    // tcpdump prints the checksum field only when it fails: those are the adverts the proof needs
    const bad = (r: VrrpAdvertRecord) => (r.checksumStatus === 'bad' ? [r.checksum, r.v3PartialSum] : []);
    expect(t.map((r) => [r.src, r.checksumStatus, ...bad(r)])).toEqual(p.map((r) => [r.src, r.checksumStatus, ...bad(r)]));
    expect(t.filter((r) => r.v3PartialSum !== undefined).length).toBeGreaterThan(10);
  });

  it('-v of a Cisco-style VRRPv3 advert (checksum over the message alone): tcpdump says "bad", the record says ok, no NAT proof', () => {
    const ck = vrrp3NoPseudo(150, 150, [[198, 51, 100, 254]]).readUInt16BE(6).toString(16);
    const rs: CaptureRecord[] = [];
    const p = new TcpdumpTextParser('x', (r) => rs.push(r), UTC);
    const head = '2026-11-25 06:24:00.614901 IP (tos 0xc0, ttl 255, id 1, offset 0, flags [none], proto VRRP (112), length 32)';
    const body = (src: string, c: string) => `    ${src} > 224.0.0.18: VRRPv3, Advertisement, vrid 150, prio 150, intvl 100cs, length 12, (bad vrrp cksum ${c}), addrs: 198.51.100.254`;
    p.write(Buffer.from([head, body('203.0.113.1', ck), head, body('203.0.113.1', 'b68e'), ''].join('\n')));
    p.end();
    expect(adverts(rs).map((r) => [r.checksumStatus, r.checksumConvention, r.v3PartialSum === undefined])).toEqual([['ok', 'no-pseudo-header', true], ['bad', 'neither', false]]);
  });

  it('time-of-day stamps: the day from a date line, else the name, else mtime (said so); midnight rolls over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-tcpdump-'));
    const line = (t: string, prio: number) => `${t} IP 198.51.100.175 > 224.0.0.18: VRRPv2, Advertisement, vrid 150, prio ${prio}, authtype none, intvl 1s, length 20`;
    const dated = path.join(dir, 'ticket.txt');
    writeFileSync(dated, ['Wed Nov 25 23:59:58 UTC 2026', line('23:59:59.500000', 150), line('00:00:00.500000', 150)].join('\n') + '\n');
    const d = await text(dated);
    expect(d.info.dateFrom).toBe('date-line');
    expect(adverts(d.records).map((r) => r.time)).toEqual([1795651199500000000n, 1795651200500000000n]);
    const bare = path.join(dir, 'paste.txt');
    writeFileSync(bare, line('05:55:41.743047', 150) + '\n');
    utimesSync(bare, new Date('2026-11-25T12:00:00Z'), new Date('2026-11-25T12:00:00Z'));
    const m = await text(bare);
    expect(m.info.dateFrom).toBe('mtime');
    expect(adverts(m.records)[0]).toMatchObject({ time: 1795586141743047000n, line: 1, frame: 1 });
    expect(m.info.problems).toEqual([expect.objectContaining({ code: 'E_BAD_TIME', severity: 'warning', line: 1 })]);
  });

  it('-t, -ttt, -ttttt: packet lines with no time to place them are counted and reported, never silently dropped', async () => {
    const rs: CaptureRecord[] = [];
    const p = new TcpdumpTextParser('x', (r) => rs.push(r), UTC);
    p.write(Buffer.from([' 00:00:00.000000 IP 198.51.100.176 > 224.0.0.18: VRRPv2, Advertisement, vrid 150, prio 100, authtype simple, intvl 1s, length 20',
      ' 00:00:00.816966 IP 203.0.113.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 150, prio 150, authtype simple, intvl 1s, length 20',
      'IP 203.0.113.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 150, prio 150, authtype simple, intvl 1s, length 20', ''].join('\n')));
    p.end();
    expect(rs).toEqual([]);
    expect(p.info).toMatchObject({ untimed: 3, problems: [{ code: 'E_BAD_TIME', severity: 'warning', line: 1 }] });
  });

  it('in another zone: the stamps are read in it', async () => {
    await prepareZone('Europe/Berlin');
    const rs: CaptureRecord[] = [];
    const p = new TcpdumpTextParser('x', (r) => rs.push(r), { tz: 'Europe/Berlin', toEpochMs: wallClockToEpochMs('Europe/Berlin') });
    p.write(Buffer.from('2026-11-25 06:55:41.743047 IP 203.0.113.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 150, prio 150, authtype simple, intvl 1s, length 20\n'));
    p.end();
    expect(rs[0].time).toBe(1795586141743047000n);
    expect((p.info as TcpdumpTextInfo).records).toBe(1);
  });
});
