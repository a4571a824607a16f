import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GEN_LE_001, TCPDUMP, plain, readAll } from '../../helpers/capture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-bad-'));
const vrrp = readFileSync(path.join(TCPDUMP, 'vrrp.pcap'));
function file(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('bad captures', () => {
  it('a text file is refused with its first bytes shown', async () => {
    const { info, records } = await readAll(file('syslog.pcap', Buffer.from('Nov 25 00:34:03 gw-175 Keepalived_vrrp[5040]: hi\n')));
    expect(records).toEqual([]);
    expect(info.error?.code).toBe('E_NOT_CAPTURE');
    expect(info.error?.toLine()).toMatch(/syslog\.pcap: byte 0: not a capture file \(pcap or pcapng\) \(first bytes 4e 6f 76 20 32 35 20 30 "Nov 25 0"\)/);
  });

  it('an empty file is refused, not crashed on', async () => {
    const { info } = await readAll(file('empty', Buffer.alloc(0)));
    expect(info.error?.toLine()).toMatch(/the file is empty/);
  });

  it('a truncated last record keeps every complete packet and warns with the byte offset', async () => {
    const cut = vrrp.subarray(0, vrrp.length - 10);
    const { info, records } = await readAll(file('cut.pcap', cut));
    expect(info.error).toBeUndefined();
    expect(records).toHaveLength(164);
    expect(info.problems).toHaveLength(1);
    expect(info.problems[0].code).toBe('E_TRUNCATED');
    const lastOffset = info.problems[0].offset!;
    expect(lastOffset).toBeGreaterThan(vrrp.length - 200);
    expect(info.problems[0].message).toMatch(/of \d+ bytes present/);
  });

  it('a record length over 256 KiB stops the file with an error naming the offset; records before it kept', async () => {
    const bad = Buffer.from(vrrp);
    // third record header: walk two records
    let p = 24;
    for (let i = 0; i < 2; i++) p += 16 + bad.readUInt32LE(p + 8);
    bad.writeUInt32LE(0xffffffff, p + 8);
    const before = performance.now();
    const { info, records } = await readAll(file('huge.pcap', bad));
    expect(performance.now() - before).toBeLessThan(2000);
    expect(records.map((r) => r.frame)).toEqual([1, 2]);
    expect(info.error?.code).toBe('E_BAD_LENGTH');
    expect(info.error?.offset).toBe(p);
    expect(info.error?.toLine()).toContain(`frame 3 (byte ${p})`);
  });

  it('a pcapng block whose trailer disagrees stops there', async () => {
    const ng = Buffer.from(readFileSync(GEN_LE_001));
    const shbLen = ng.readUInt32LE(4);
    ng.writeUInt32LE(0x1000, shbLen + ng.readUInt32LE(shbLen + 4) - 4); // corrupt IDB trailer
    const { info } = await readAll(file('trailer.pcapng', ng));
    expect(info.error?.code).toBe('E_BAD_BLOCK');
    expect(info.error?.offset).toBe(shbLen);
  });

  it('a pcapng block length of 0xFFFFFFFC is refused before anything is buffered', async () => {
    const ng = Buffer.from(readFileSync(GEN_LE_001));
    const shbLen = ng.readUInt32LE(4);
    ng.writeUInt32LE(0xfffffffc, shbLen + 4);
    const { info } = await readAll(file('len.pcapng', ng));
    expect([info.error?.code, info.error?.offset]).toEqual(['E_BAD_LENGTH', shbLen]);
  });
});

describe('gzip', () => {
  it('is detected by content, whatever the name, and reads identically', async () => {
    const plainRead = await readAll(path.join(TCPDUMP, 'vrrp.pcap'));
    const gz = await readAll(file('capture.bin', gzipSync(vrrp)));
    expect(gz.info.gzip).toBe(true);
    expect(plain(gz.records.map((r) => ({ ...r, file: '' })))).toEqual(plain(plainRead.records.map((r) => ({ ...r, file: '' }))));
  });

  it('concatenated gzip members read as one stream', async () => {
    const half = 24 + 62 + 16; // header + first record
    const a = gzipSync(vrrp.subarray(0, half));
    const b = gzipSync(vrrp.subarray(half));
    const { records, info } = await readAll(file('cat.pcap.gz', Buffer.concat([a, b])));
    expect([records.length, info.error]).toEqual([165, undefined]);
  });

  it('a gzip stream cut short keeps what was decompressed and says where', async () => {
    const gz = gzipSync(vrrp);
    const { records, info } = await readAll(file('cut.pcap.gz', gz.subarray(0, Math.floor(gz.length * 0.6))));
    expect(records.length).toBeGreaterThan(50);
    expect(records.length).toBeLessThan(165);
    expect(info.error?.code).toBe('E_GZIP');
    expect(info.error?.offset).toBeGreaterThan(0);
  });

  it('never modifies the input', async () => {
    const p = file('keep.pcap', vrrp);
    const before = statSync(p).mtimeMs;
    await readAll(p);
    expect(readFileSync(p).equals(vrrp)).toBe(true);
    expect(statSync(p).mtimeMs).toBe(before);
  });
});
