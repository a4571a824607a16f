import fc from 'fast-check';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForensicError } from '../../src/errors.js';
import { readCapture } from '../../src/sources/capture/reader.js';
import { CORPUS, ROOT, TCPDUMP } from '../helpers/capture.js';
import { checkCase, RUNS, runReader, TEST_MS, tick } from './harness.js';
import { applyCapture, boundaries, captureMutation } from './mutate.js';

const SEEDS = [
  path.join(TCPDUMP, 'vrrp.pcap'),
  path.join(TCPDUMP, 'tcp-handshake-nano.pcap'),
  path.join(TCPDUMP, '802.1ad_QinQ.pcap'),
  path.join(CORPUS, 'pcapng-test-generator/le/difficult/test202.pcapng'),
  path.join(CORPUS, 'pcapng-test-generator/be/advanced/test102.pcapng'),
  path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'),
  path.join(ROOT, 'samples/intermittent/gw-b/lan0.pcapng'),
  path.join(ROOT, 'samples/seed-snat/gw-a/any.pcap'),
].map((f) => ({ name: path.basename(f), bytes: readFileSync(f) }));

const offsetOf = (json: string) => (JSON.parse(json) as { offset: number }).offset;

describe('capture reader under mutation (fast-check)', () => {
  it('bit flips, truncations, absurd length fields, duplicated/reordered blocks, swapped byte order: only coded errors, bounded time, chunking-independent', async () => {
    await fc.assert(fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), captureMutation, async (i, ms) => {
      await tick();
      const seed = SEEDS[i];
      const bytes = applyCapture(seed.bytes, ms.filter((m) => m.kind !== 'gzip-cut' && m.kind !== 'gzip-concat'));
      checkCase('capture', bytes);
    }), { numRuns: RUNS });
  }, TEST_MS);

  it('damage at block k: every record before it is produced, identical to the undamaged file', async () => {
    await fc.assert(fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), fc.nat(), fc.constantFrom(0, 1, 7, 12, 13, 0x7fffffff, 0xffffffff), async (si, k, value) => {
      await tick();
      const seed = SEEDS[si];
      const clean = runReader('capture', seed.bytes, seed.bytes.length).items;
      const bs = boundaries(seed.bytes);
      if (bs.length < 2) return;
      const i = 1 + (k % (bs.length - 1));
      const cut = bs[i];
      const damaged = applyCapture(seed.bytes, [{ kind: 'length', block: i, value, field: 0 }]);
      const got = checkCase('capture', damaged).items;
      const before = (xs: string[]) => xs.filter((x) => offsetOf(x) < cut);
      expect(before(got)).toEqual(before(clean));
    }), { numRuns: RUNS });
  }, TEST_MS);

  it('truncated at every record boundary and inside every record header of a sample: the records before are kept', () => {
    const seed = SEEDS.find((s) => s.name === 'lan0.pcap')!;
    const clean = runReader('capture', seed.bytes, seed.bytes.length).items;
    for (const b of boundaries(seed.bytes)) {
      for (const at of [b, b + 5, b + 16]) {
        const got = checkCase('capture', seed.bytes.subarray(0, at), [at || 1, 7]).items;
        expect(got).toEqual(clean.filter((x) => offsetOf(x) < b));
      }
    }
  });

  it('chunk sizes 1 and 1 MiB give identical records for every seed, whole and damaged', () => {
    for (const seed of SEEDS) {
      if (seed.bytes.length > 200_000) continue;
      for (const bytes of [seed.bytes, applyCapture(seed.bytes, [{ kind: 'length', block: 3, value: 0xffffffff, field: 0 }]), seed.bytes.subarray(0, seed.bytes.length - 5)]) {
        checkCase('capture', bytes, [1 << 20, 1]);
      }
    }
  }, TEST_MS);

  it('gzip cut short or concatenated, through the file reader: no escape, the input file untouched', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-fuzz-'));
    await fc.assert(fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), fc.constantFrom('gzip-cut' as const, 'gzip-concat' as const), fc.double({ min: 0, max: 1, noNaN: true }), async (si, kind, at) => {
      await tick();
      const seed = SEEDS[si];
      const bytes = applyCapture(seed.bytes, [kind === 'gzip-cut' ? { kind, at } : { kind }]);
      const file = path.join(dir, `${seed.name}.gz`);
      writeFileSync(file, bytes);
      const before = { m: statSync(file).mtimeMs, b: readFileSync(file) };
      const it = readCapture(file, { chunkSize: 4096 });
      let step = await it.next();
      while (!step.done) step = await it.next();
      if (step.value.error) expect(step.value.error).toBeInstanceOf(ForensicError);
      expect(statSync(file).mtimeMs).toBe(before.m);
      expect(readFileSync(file).equals(before.b)).toBe(true);
    }), { numRuns: Math.max(20, RUNS / 5) });
  }, TEST_MS);
});
