import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Framer } from '../../../src/sources/capture/framer.js';
import { blockName, PcapngFormat } from '../../../src/sources/capture/pcapng.js';
import { timeOf, type PacketView } from '../../../src/sources/capture/packet.js';
import { toRfc3339 } from '../../../src/model/instant.js';
import { CORPUS, TCPDUMP, parseBytes, readAll } from '../../helpers/capture.js';

const GEN = path.join(CORPUS, 'pcapng-test-generator');

function generatorFiles(): string[] {
  const out: string[] = [];
  for (const order of ['le', 'be'])
    for (const cat of ['basic', 'advanced', 'difficult'])
      for (const f of readdirSync(path.join(GEN, order, cat))) if (f.endsWith('.pcapng')) out.push(path.join(order, cat, f));
  return out.sort();
}

function expectations(file: string): { counts: Record<string, number>; sequence: string[] } {
  const txt = readFileSync(path.join(GEN, file.replace('.pcapng', '.txt')), 'utf8');
  const counts: Record<string, number> = {};
  for (const m of txt.matchAll(/^\t(\w+): (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  const seq = /Block sequence: (.*)$/m.exec(txt)![1].split(', ').map((s) => s.trim());
  return { counts, sequence: seq };
}

/** Runs the block walker alone, recording each block in order. */
function walk(bytes: Buffer, chunk: number) {
  const seq: string[] = [];
  const packets: PacketView[] = [];
  const fmt = new PcapngFormat('t', (v) => packets.push({ ...v, iface: { ...v.iface } }), () => {}, (t) => seq.push(blockName(t)));
  const fr = new Framer(fmt, 't');
  for (let i = 0; i < bytes.length; i += chunk) fr.write(bytes.subarray(i, i + chunk));
  expect(fr.end()).toBeNull();
  return { seq, packets, fmt };
}

const NAME: Record<string, string> = { DCB: 'DCB', CB: 'CB' };

describe('pcapng-test-generator corpus', () => {
  const files = generatorFiles();
  it('has 24 tests in each byte order (SOURCES.md counts 22; 001-018, 100-102, 200-202 are 24)', () => expect(files).toHaveLength(48));

  it.each(files)('%s: every block, in order, and its packets', (file) => {
    const bytes = readFileSync(path.join(GEN, file));
    const { counts, sequence } = expectations(file);
    for (const chunk of [bytes.length, 7]) {
      const { seq, packets, fmt } = walk(bytes, chunk);
      expect(seq.map((s) => NAME[s] ?? s)).toEqual(sequence);
      expect(packets).toHaveLength((counts.EPB ?? 0) + (counts.SPB ?? 0) + (counts.OPB ?? 0));
      expect(fmt.info.interfaces).toHaveLength(counts.IDB ?? 0);
      expect(fmt.info.sections).toBe(counts.SHB);
      // SPB packets are untimed, the others carry a time
      for (const p of packets) expect(timeOf(p).ns === null).toBe(p.timeKind === 3);
    }
  });

  it('test006 (two IDBs of different link types, refused by libpcap) is read with both link types', () => {
    const { packets, fmt } = walk(readFileSync(path.join(GEN, 'le/basic/test006.pcapng')), 4096);
    expect(fmt.info.interfaces.map((i) => i.linkType)).toEqual([1, 0]);
    expect(new Set(packets.map((p) => p.iface.id))).toEqual(new Set([0, 1]));
  });

  it('test202 (three sections of different endianness) restarts interfaces per section', () => {
    for (const order of ['le', 'be']) {
      const { packets, fmt } = walk(readFileSync(path.join(GEN, order, 'difficult/test202.pcapng')), 1 << 20);
      expect(fmt.info.sections).toBe(3);
      // section/interface/link type/untimed for each packet: SPBs (untimed) only in section 1, ids restart per section
      expect(packets.map((p) => `${p.iface.section}/${p.iface.id}/${p.iface.linkType}/${timeOf(p).ns === null ? 'untimed' : 'timed'}`)).toEqual([
        '0/0/1/timed', '0/0/1/timed', '0/1/0/timed', '1/0/1/untimed', '1/0/1/timed', '1/0/1/untimed', '1/0/1/timed', '2/1/0/timed',
      ]);
    }
  });

  it('le and be files give the same packets and times', () => {
    for (const file of generatorFiles().filter((f) => f.startsWith('le/'))) {
      const le = walk(readFileSync(path.join(GEN, file)), 1 << 20).packets;
      const be = walk(readFileSync(path.join(GEN, file.replace(/^le/, 'be'))), 1 << 20).packets;
      expect(be.map((p) => [timeOf(p).ns, p.caplen])).toEqual(le.map((p) => [timeOf(p).ns, p.caplen]));
    }
  });
});

describe('pcapng features', () => {
  it('reads the interface name, if_tsresol and a timestamp past 2106 (tcpdump prints 2106-02-07 06:28:16)', async () => {
    const { info } = await readAll(path.join(TCPDUMP, 'time_2106_overflow.pcapng'));
    expect(info.error).toBeUndefined();
    expect(info.frames).toBe(1);
    const bytes = readFileSync(path.join(TCPDUMP, 'time_2106_overflow.pcapng'));
    const { packets } = walk(bytes, 1 << 20);
    expect(toRfc3339(timeOf(packets[0]).ns!, 6)).toBe('2106-02-07T06:28:16.000000Z');
  });

  it('handles if_tsresol (decimal and binary) and if_tsoffset on crafted interfaces', () => {
    const opt = (code: number, val: Buffer) => {
      const h = Buffer.alloc(4); h.writeUInt16LE(code, 0); h.writeUInt16LE(val.length, 2);
      return Buffer.concat([h, val, Buffer.alloc((4 - (val.length % 4)) % 4)]);
    };
    const block = (type: number, body: Buffer) => {
      const len = 12 + body.length;
      const h = Buffer.alloc(8); h.writeUInt32LE(type, 0); h.writeUInt32LE(len, 4);
      const t = Buffer.alloc(4); t.writeUInt32LE(len, 0);
      return Buffer.concat([h, body, t]);
    };
    const shb = block(0x0a0d0d0a, Buffer.from([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const idb = (tsresol: number, offset: bigint, name: string) => {
      const fixed = Buffer.alloc(8); fixed.writeUInt16LE(101, 0); fixed.writeUInt32LE(65535, 4);
      const off = Buffer.alloc(8); off.writeBigInt64LE(offset, 0);
      return block(1, Buffer.concat([fixed, opt(2, Buffer.from(name)), opt(9, Buffer.from([tsresol])), opt(14, off), Buffer.alloc(4)]));
    };
    const epb = (ifId: number, ticks: bigint) => {
      const data = Buffer.from('45000014000000004011000001020304050607080000', 'hex').subarray(0, 20);
      const fixed = Buffer.alloc(20);
      fixed.writeUInt32LE(ifId, 0); fixed.writeUInt32LE(Number(ticks >> 32n), 4); fixed.writeUInt32LE(Number(ticks & 0xffffffffn), 8);
      fixed.writeUInt32LE(data.length, 12); fixed.writeUInt32LE(data.length, 16);
      return block(6, Buffer.concat([fixed, data]));
    };
    const file = Buffer.concat([
      shb, idb(9, 0n, 'eth0'), idb(0x80 | 20, 0n, 'eth1'), idb(6, 100n, 'eth2'),
      epb(0, 1_764_030_843_542_611_123n), epb(1, 3n << 19n), epb(2, 5_000_001n),
    ]);
    const { packets, fmt } = walk(file, 5);
    expect(fmt.info.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1', 'eth2']);
    expect(packets.map((p) => timeOf(p).ns)).toEqual([1_764_030_843_542_611_123n, 1_500_000_000n, 105_000_001_000n]);
    expect(packets.map((p) => timeOf(p).digits)).toEqual([9, 9, 6]);
    // the same file through the record reader: interface names are kept on records' interface info
    const { info } = parseBytes(file, 3);
    expect(info.frames).toBe(3);
  });
});
