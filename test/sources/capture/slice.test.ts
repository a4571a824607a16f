import { describe, expect, it } from 'vitest';
import { MAX_PACKET } from '../../../src/sources/capture/limits.js';
import { CHAIN, findRecordBoundary, pcapLayout, type ReadAt } from '../../../src/sources/capture/slice.js';
import { ether, ipv4, pcapHeader, pcapRecord, vrrp2 } from '../../helpers/craft.js';

const T0 = 1_795_586_000;
const advert = ether('52:54:00:00:a0:01', 0x0800, ipv4([198, 51, 100, 1], [224, 0, 0, 18], 112, vrrp2(150, 100, [[198, 51, 100, 254]])));

/** A pcap of `n` records of growing sizes; returns its bytes and where each record starts. */
function capture(n: number, payload: (i: number) => Buffer = (i) => Buffer.concat([advert, Buffer.alloc(i % 40, 0xab)])): { bytes: Buffer; starts: number[] } {
  const parts = [pcapHeader(1)];
  const starts: number[] = [];
  let at = 24;
  for (let i = 0; i < n; i++) {
    const r = pcapRecord(payload(i), T0 + Math.floor(i / 10), (i % 10) * 1000);
    starts.push(at);
    at += r.length;
    parts.push(r);
  }
  return { bytes: Buffer.concat(parts), starts };
}

const reader = (b: Buffer): ReadAt => (offset, n) => b.subarray(offset, Math.min(b.length, offset + n));
const layoutOf = (b: Buffer) => pcapLayout(b.subarray(0, 24), b.subarray(24, 40))!;

describe('findRecordBoundary', () => {
  it('finds the first record starting at or after any offset', () => {
    const { bytes, starts } = capture(200);
    const layout = layoutOf(bytes);
    for (let from = 24; from < starts[150]; from += 7) {
      expect(findRecordBoundary(reader(bytes), from, bytes.length, layout)).toBe(starts.find((s) => s >= from));
    }
  });

  it('is not fooled by a record header inside a payload: one look-alike header is not a chain', () => {
    // the payload of record 5 holds a header that alone passes every check (plausible time, caplen ≤ snaplen, len ≥ caplen)
    const fake = Buffer.alloc(16);
    fake.writeUInt32LE(T0, 0); fake.writeUInt32LE(5, 4); fake.writeUInt32LE(20, 8); fake.writeUInt32LE(20, 12);
    const { bytes, starts } = capture(60, (i) => (i === 5 ? Buffer.concat([advert, fake, Buffer.alloc(40, 0xab)]) : advert));
    const fakeAt = starts[5] + 16 + advert.length;
    expect(bytes.readUInt32LE(fakeAt + 8)).toBe(20);
    expect(findRecordBoundary(reader(bytes), fakeAt, bytes.length, layoutOf(bytes))).toBe(starts[6]);
  });

  it('is not fooled by zeroed payload (caplen 0, time 1970) nor by a chain shorter than CHAIN', () => {
    const fakes = Buffer.concat(Array.from({ length: CHAIN - 1 }, () => {
      const h = Buffer.alloc(16 + 4);
      h.writeUInt32LE(T0, 0); h.writeUInt32LE(4, 8); h.writeUInt32LE(4, 12);
      return h;
    }));
    const { bytes, starts } = capture(40, (i) => (i === 3 ? Buffer.concat([Buffer.alloc(64), fakes, Buffer.alloc(64)]) : advert));
    expect(findRecordBoundary(reader(bytes), starts[3] + 16, bytes.length, layoutOf(bytes))).toBe(starts[4]);
  });

  it('takes a chain that runs into the end of the file, a cut-off last record included, but not that record alone', () => {
    const { bytes, starts } = capture(3);
    const layout = layoutOf(bytes);
    expect(findRecordBoundary(reader(bytes), starts[1] - 3, bytes.length, layout)).toBe(starts[1]);
    const cut = bytes.subarray(0, bytes.length - 10);
    expect(findRecordBoundary(reader(cut), starts[1] - 1, cut.length, layout)).toBe(starts[1]);
    expect(findRecordBoundary(reader(cut), starts[2] - 1, cut.length, layout)).toBeNull();
  });

  it('answers null where no record starts within the largest record (and never reads by a length field)', () => {
    const noise = Buffer.concat([capture(1).bytes.subarray(0, 40), Buffer.alloc(MAX_PACKET + 64)]);
    const asked: number[] = [];
    const r: ReadAt = (o, n) => (asked.push(n), noise.subarray(o, Math.min(noise.length, o + n)));
    expect(findRecordBoundary(r, 100, noise.length, layoutOf(noise))).toBeNull();
    expect(Math.max(...asked)).toBeLessThanOrEqual((CHAIN + 1) * (MAX_PACKET + 16));
  });
});

describe('pcapLayout', () => {
  it('reads both byte orders and both resolutions, and refuses what cannot be read from the middle', () => {
    expect(pcapLayout(pcapHeader(1, { snaplen: 1500 }))).toEqual({ le: true, nano: false, maxCaplen: 1500, firstSec: null });
    expect(pcapLayout(pcapHeader(113, { le: false, nano: true, snaplen: 0 }))).toMatchObject({ le: false, nano: true, maxCaplen: MAX_PACKET });
    const old = pcapHeader(1);
    old.writeUInt16LE(2, 6); // version 2.2: caplen and len swapped in the record headers
    expect(pcapLayout(old)).toBeNull();
    const kuznetzov = pcapHeader(1);
    kuznetzov.writeUInt32LE(0xa1b2cd34, 0);
    expect(pcapLayout(kuznetzov)).toBeNull();
  });
});
