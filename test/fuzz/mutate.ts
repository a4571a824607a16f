import fc from 'fast-check';
import { gzipSync } from 'node:zlib';

/** Record/block boundaries of a classic pcap or a pcapng (the places where length fields live). */
export function boundaries(b: Buffer): number[] {
  const out: number[] = [];
  if (b.length < 24) return out;
  const magic = b.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) {
    let p = 0;
    let le = true;
    while (p + 12 <= b.length) {
      if (b.readUInt32LE(p) === 0x0a0d0d0a) le = b.readUInt32LE(p + 8) === 0x1a2b3c4d;
      const len = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      out.push(p);
      if (len < 12 || len % 4) break;
      p += len;
    }
    return out;
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  let p = 24;
  while (p + 16 <= b.length) {
    out.push(p);
    p += 16 + (le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8));
  }
  return out;
}

const SPECIAL = [0, 1, 3, 7, 12, 13, 0xffff, 0x7fffffff, 0xffffffff];
/** stands for "exactly to the end of the file" (resolved per block when applied) */
export const TO_END = -1;

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'length'; block: number; value: number; field: 0 | 1 }
  | { kind: 'duplicate'; block: number }
  | { kind: 'swap'; block: number }
  | { kind: 'byte-order'; block: number }
  | { kind: 'gzip-cut'; at: number }
  | { kind: 'gzip-concat' };

/** Mutations for binary captures, positioned relative to the seed's size and blocks. */
export const captureMutation: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x), bit: fc.integer({ min: 0, max: 7 }) }).map((m) => ({ ...m, at: m.at })),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('length' as const), block: fc.nat(), value: fc.oneof(fc.constantFrom(...SPECIAL, TO_END), fc.nat({ max: 0xffffffff })), field: fc.constantFrom(0 as const, 1 as const) }),
    fc.record({ kind: fc.constant('duplicate' as const), block: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), block: fc.nat() }),
    fc.record({ kind: fc.constant('byte-order' as const), block: fc.nat() }),
    fc.record({ kind: fc.constant('gzip-cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.constant({ kind: 'gzip-concat' as const }),
  ) as fc.Arbitrary<Mutation>,
  { minLength: 1, maxLength: 4 },
);

/** Applies mutations to a copy of the seed (never to the seed itself). */
export function applyCapture(seed: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of ms) {
    const bs = boundaries(b);
    const blk = (i: number) => (bs.length ? bs[i % bs.length] : 0);
    const next = (i: number) => (bs.length ? (bs[(i % bs.length) + 1] ?? b.length) : b.length);
    switch (m.kind) {
      case 'flip': {
        if (!b.length) break;
        const at = Math.min(b.length - 1, Math.floor(m.at * b.length));
        b[at] ^= 1 << m.bit;
        break;
      }
      case 'truncate':
        b = b.subarray(0, Math.floor(m.at * b.length));
        break;
      case 'length': {
        // pcap: caplen (+8) or origlen (+12); pcapng: the block's total length, leading (+4) or trailing
        const p = blk(m.block);
        const isNg = b.length >= 4 && b.readUInt32LE(0) === 0x0a0d0d0a;
        const at = isNg ? (m.field ? next(m.block) - 4 : p + 4) : p + (m.field ? 12 : 8);
        const value = m.value === TO_END ? b.length - p - (isNg ? 0 : 16) : m.value;
        if (at >= 0 && at + 4 <= b.length) b.writeUInt32LE(value >>> 0, at);
        break;
      }
      case 'duplicate': {
        const a = blk(m.block);
        const z = next(m.block);
        b = Buffer.concat([b.subarray(0, z), b.subarray(a, z), b.subarray(z)]);
        break;
      }
      case 'swap': {
        if (bs.length < 3) break;
        const i = (m.block % (bs.length - 2)) + 1;
        const [a, mid, z] = [bs[i], bs[i + 1], bs[i + 2] ?? b.length];
        b = Buffer.concat([b.subarray(0, a), b.subarray(mid, z), b.subarray(a, mid), b.subarray(z)]);
        break;
      }
      case 'byte-order': {
        // a byte-order magic swapped mid-file: the section header's or the record's first word reversed
        const p = blk(m.block);
        if (p + 12 <= b.length) b.subarray(p + 8, p + 12).reverse();
        break;
      }
      case 'gzip-cut': {
        const z = gzipSync(b);
        b = z.subarray(0, Math.max(2, Math.floor(m.at * z.length)));
        break;
      }
      case 'gzip-concat':
        b = Buffer.concat([gzipSync(b.subarray(0, b.length >> 1)), gzipSync(b.subarray(b.length >> 1))]);
        break;
    }
  }
  return b;
}

export type TextMutation =
  | { kind: 'crlf' }
  | { kind: 'nul'; at: number }
  | { kind: 'bad-utf8'; at: number }
  | { kind: 'long-line'; at: number; size: number }
  | { kind: 'separators'; at: number; sep: string }
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; bit: number };

export const textMutation: fc.Arbitrary<TextMutation[]> = fc.array(
  fc.oneof(
    fc.constant({ kind: 'crlf' as const }),
    fc.record({ kind: fc.constant('nul' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('bad-utf8' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('long-line' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), size: fc.constantFrom(1 << 16, (1 << 20) + 5) }),
    fc.record({ kind: fc.constant('separators' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), sep: fc.constantFrom('\n\n\n', '\r\r', '\t \t', '{}{}', '[]=') }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
  ) as fc.Arbitrary<TextMutation>,
  { minLength: 1, maxLength: 4 },
);

export function applyText(seed: Buffer, ms: TextMutation[]): Buffer {
  let b = Buffer.from(seed);
  const at = (x: number) => Math.min(b.length, Math.floor(x * b.length));
  for (const m of ms) {
    switch (m.kind) {
      case 'crlf': b = Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'); break;
      case 'nul': b = Buffer.concat([b.subarray(0, at(m.at)), Buffer.from([0, 0, 0]), b.subarray(at(m.at))]); break;
      case 'bad-utf8': b = Buffer.concat([b.subarray(0, at(m.at)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xe2, 0x82]), b.subarray(at(m.at))]); break;
      case 'long-line': b = Buffer.concat([b.subarray(0, at(m.at)), Buffer.alloc(m.size, 0x41), b.subarray(at(m.at))]); break;
      case 'separators': b = Buffer.concat([b.subarray(0, at(m.at)), Buffer.from(m.sep.repeat(50)), b.subarray(at(m.at))]); break;
      case 'cut': b = b.subarray(0, at(m.at)); break;
      case 'flip': if (b.length) b[Math.min(b.length - 1, at(m.at))] ^= 1 << m.bit; break;
    }
  }
  return b;
}
