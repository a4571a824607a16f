import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInstant, toRfc3339 } from '../../../src/model/instant.js';
import { Framer } from '../../../src/sources/capture/framer.js';
import { PcapFormat } from '../../../src/sources/capture/pcap.js';
import { timeOf } from '../../../src/sources/capture/packet.js';
import { ROOT, TCPDUMP, parseBytes, plain, readAll } from '../../helpers/capture.js';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as { parse(path: string): NodeJS.EventEmitter };

interface Pkt { sec: number; usec: number; caplen: number; origlen: number; hex: string }

/** pcap-parser, the independent oracle: every classic µs pcap must read the same through both. */
function oracle(file: string): Promise<Pkt[]> {
  return new Promise((resolve, reject) => {
    const out: Pkt[] = [];
    const p = pcapParser.parse(file);
    p.on('packet', (pk: { header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }; data: Buffer }) =>
      out.push({ sec: pk.header.timestampSeconds, usec: pk.header.timestampMicroseconds, caplen: pk.header.capturedLength, origlen: pk.header.originalLength, hex: pk.data.toString('hex') }));
    p.on('end', () => resolve(out));
    p.on('error', reject);
  });
}

function ours(file: string): Pkt[] {
  const out: Pkt[] = [];
  const f = new PcapFormat(file, (v) => out.push({ sec: v.tsA, usec: v.tsB, caplen: v.caplen, origlen: v.origlen, hex: Buffer.from(v.data.subarray(v.start, v.end)).toString('hex') }), () => {});
  const fr = new Framer(f, file);
  fr.write(readFileSync(file));
  fr.end();
  return out;
}

function classicMicroPcaps(): string[] {
  const dirs = [TCPDUMP, ...sampleDirs()];
  const files: string[] = [];
  for (const d of dirs) for (const e of readdirSync(d, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(d, e.name);
    const head = readFileSync(full).subarray(0, 4).toString('hex');
    if (head === 'd4c3b2a1' || head === 'a1b2c3d4') files.push(full);
  }
  return files;
}

function sampleDirs(): string[] {
  const root = path.join(ROOT, 'samples');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
    }
    out.push(d);
  };
  try { walk(root); } catch { /* no samples yet */ }
  return out;
}

describe('pcap-parser agrees with our reader', () => {
  const files = classicMicroPcaps();
  it('covers the corpus', () => expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['vrrp.pcap', 'vrrp-vrrp_print-oobr.pcap', 'lan0.pcap', '802.1ad_QinQ.pcap'])));
  it.each(files.map((f) => [path.relative(ROOT, f), f]))('%s: frame count, timestamps, lengths and bytes', async (_name, file) => {
    const theirs = await oracle(file);
    const mine = ours(file);
    // pcap-parser ignores the snaplen; libpcap (and we) keep only snaplen bytes of an over-long record
    const snaplen = readFileSync(file).readUInt32LE(16) || Infinity;
    const clipped = theirs.map((p) => (p.caplen > snaplen ? { ...p, caplen: snaplen, hex: p.hex.slice(0, snaplen * 2) } : p));
    expect(mine).toEqual(clipped);
  });
});

describe('classic pcap variants from tcpdump\'s tests', () => {
  it('empty.pcap: a header and no packets, no warning', async () => {
    const { info } = await readAll(path.join(TCPDUMP, 'empty.pcap'));
    expect([info.frames, info.problems, info.error]).toEqual([0, [], undefined]);
  });

  it('tcp-handshake-nano.pcap: nanosecond magic keeps all nine digits', () => {
    const times: bigint[] = [];
    const fr = new Framer(new PcapFormat('t', (v) => times.push(timeOf(v).ns!), () => {}), 't');
    fr.write(readFileSync(path.join(TCPDUMP, 'tcp-handshake-nano.pcap')));
    expect(times.map((t) => toRfc3339(t))).toEqual([
      '2014-12-09T17:16:09.924505488Z', '2014-12-09T17:16:10.052027262Z', '2014-12-09T17:16:10.052115157Z',
    ]);
    // tcpdump -tttt prints these µs truncations; the ns digits are all still there
    expect(times.map((t) => formatInstant(t, 'UTC', 'tttt', 6))).toEqual(['2014-12-09 17:16:09.924505', '2014-12-09 17:16:10.052027', '2014-12-09 17:16:10.052115']);
  });

  it('timestamp_invalid_nano.pcap: fractions ≥ 1 s are flagged, not fatal', async () => {
    const problems: string[] = [];
    const fr = new Framer(new PcapFormat('t', () => {}, (p) => problems.push(`${p.frame}:${p.code}`)), 't');
    fr.write(readFileSync(path.join(TCPDUMP, 'timestamp_invalid_nano.pcap')));
    expect(problems).toEqual(['2:E_BAD_TIME', '3:E_BAD_TIME']);
  });

  it('time_2106.pcap: seconds are unsigned (2106-01-01), not a negative 1900s date', () => {
    const times: bigint[] = [];
    const fr = new Framer(new PcapFormat('t', (v) => times.push(timeOf(v).ns!), () => {}), 't');
    fr.write(readFileSync(path.join(TCPDUMP, 'time_2106.pcap')));
    expect(toRfc3339(times[0], 6)).toBe('2106-01-01T00:00:00.000000Z');
  });

  it('masks the link-type field to its low 16 bits', () => {
    const bytes = Buffer.from(readFileSync(path.join(TCPDUMP, 'LINKTYPE_IPV4.pcap')));
    bytes.writeUInt32LE(0x0abc0000 | 228, 20);
    const { info } = parseBytes(bytes);
    expect(info.interfaces[0].linkType).toBe(228);
    expect(info.undecodable).toBe(0);
  });

  it('reads every chunk size identically (1, 7, 4096, whole file)', async () => {
    const file = path.join(TCPDUMP, 'vrrp.pcap');
    const bytes = readFileSync(file);
    const whole = plain(parseBytes(bytes).records);
    for (const size of [1, 7, 4096]) expect(plain(parseBytes(bytes, size).records)).toEqual(whole);
    expect(plain((await readAll(file, 1000)).records.map((r) => ({ ...r, file: 'crafted' })))).toEqual(whole);
  });
});
