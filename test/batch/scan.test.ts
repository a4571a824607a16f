import { appendFileSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile, scanPath } from '../../src/batch/scan.js';
import { readAll, ROOT } from '../helpers/capture.js';
import { ether, pcapRecord } from '../helpers/craft.js';
import { pack, seedBundle } from '../helpers/bundle.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'vf-scan-'));
const ns = (iso: string) => (BigInt(Date.parse(iso)) * 1_000_000n).toString();

describe('scanning a file for the span of its VRRP evidence', () => {
  it('a capture: its first and last advert, not the ARP and IPv6 traffic after them', async () => {
    const file = path.join(tmp(), 'lan0.pcap');
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'), file);
    const adverts = (await readAll(file)).records.filter((r) => r.kind === 'vrrp').map((r) => r.time!);
    const arp = ether('52:54:00:00:b0:01', 0x0806, Buffer.alloc(28));
    appendFileSync(file, pcapRecord(arp, Date.UTC(2026, 10, 25, 6, 30) / 1000, 0));
    const s = await scanFile(file);
    expect(s).toMatchObject({ kind: 'capture', first: adverts[0].toString(), last: adverts.at(-1)!.toString() });
  });

  it('tcpdump text output of the same capture spans the same adverts', async () => {
    const s = await scanFile(path.join(ROOT, 'test/fixtures/tcpdump-text/seed-snat-gw-b.e-tttt.txt'));
    const c = await scanFile(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'));
    expect(s.kind).toBe('capture');
    expect([s.first, s.last]).toEqual([c.first, c.last]);
  });

  it('a conntrack snapshot without a VRRP entry has no span (it joins its folder\'s incidents); one with an entry has its dump time', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'ct.1795586148'), 'ipv4     2 tcp      6 431999 ESTABLISHED src=192.0.2.1 dst=192.0.2.2 sport=1 dport=22 src=192.0.2.2 dst=192.0.2.1 sport=22 dport=1 [ASSURED] mark=0 use=1\n');
    expect(await scanFile(path.join(dir, 'ct.1795586148'))).toMatchObject({ kind: 'conntrack', first: null, last: null });
    const s = await scanFile(path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-L.1795586148'));
    expect(s).toMatchObject({ kind: 'conntrack', first: ns('2026-11-25T05:55:48Z') });
  });

  it('an archive scans as its members, each named archive:member and holding its archive', async () => {
    const b = seedBundle();
    const file = pack(b.dir, [b.top], path.join(tmp(), 'sos.tar.xz'), 'tar.xz');
    const s = await scanPath(file);
    expect(s.map((x) => x.path.slice(file.length + 1))).toContain('var/log/messages');
    expect(s.every((x) => x.container === file)).toBe(true);
    expect(s.find((x) => x.path.endsWith(':var/log/messages'))).toMatchObject({ kind: 'syslog', hosts: ['gw-a'] });
  });
});
