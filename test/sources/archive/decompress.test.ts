import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompress, sniffCompression, type Compression } from '../../../src/sources/archive/decompress.js';
import { ForensicError } from '../../../src/errors.js';
import { ROOT } from '../../helpers/capture.js';

const syslog = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/syslog'));
const big = Buffer.concat(Array.from({ length: 40 }, () => syslog));
const squeeze = (cmd: string) => spawnSync(cmd, ['-c'], { input: big, maxBuffer: 1 << 28 }).stdout as Buffer;
const packed: Record<Exclude<Compression, 'none'>, Buffer> = { gzip: gzipSync(big), xz: squeeze('xz'), zstd: squeeze('zstd') };

async function run(kind: Compression, bytes: Buffer, chunk = 4096): Promise<{ out: Buffer; error?: ForensicError }> {
  async function* src() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const parts: Buffer[] = [];
  try {
    for await (const c of decompress(kind, src(), 'f')) parts.push(Buffer.from(c));
  } catch (err) {
    return { out: Buffer.concat(parts), error: err as ForensicError };
  }
  return { out: Buffer.concat(parts) };
}

describe('decompress', () => {
  for (const kind of ['gzip', 'xz', 'zstd'] as const) {
    it(`${kind}: sniffed by magic, decoded whole at any chunk size; cut short, what came before is handed out and the damage coded`, async () => {
      expect(sniffCompression(packed[kind])).toBe(kind);
      for (const n of [1000, 65536]) expect((await run(kind, packed[kind], n)).out.equals(big)).toBe(true);
      const cut = await run(kind, packed[kind].subarray(0, Math.floor(packed[kind].length * 0.7)));
      expect(cut.error).toBeInstanceOf(ForensicError);
      expect(cut.error!.code).toBe('E_GZIP');
      expect(cut.error!.message).toMatch(new RegExp(`^${kind} stream damaged or cut short`));
      // every byte handed out is the original's
      expect(big.subarray(0, cut.out.length).equals(cut.out)).toBe(true);
    });
  }
});
