import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { detectKind } from '../../src/sources/detect.js';
import { ROOT } from '../helpers/capture.js';

/**
 * Found by fuzzing analyze (test/fuzz/analyze.fuzz.test.ts): a gzip stream damaged in its first bytes made zlib's
 * "unexpected end of file" escape from the kind sniffing as a raw Node error instead of a coded problem.
 */
describe('regression: a gzip stream broken near its start', () => {
  const broken = () => {
    const seed = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/any.pcap')).subarray(0, 3);
    const b = Buffer.concat([gzipSync(seed.subarray(0, 1)), gzipSync(seed.subarray(1))]);
    b.subarray(8, 12).reverse();
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'vf-gz-')), 'x.pcap.gz');
    writeFileSync(f, b);
    return f;
  };

  it('is sniffed as unknown, with the reason', async () => {
    const d = await detectKind(broken());
    expect([d.kind, d.code]).toEqual(['unknown', 'E_GZIP']);
  });

  it('analyze reports it and goes on', async () => {
    const f = broken();
    const r = await analyze([f, path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap')], { tz: 'UTC' });
    expect(r.inputs.find((i) => i.path === f)?.kind).toBe('unknown');
    expect(r.inputs.find((i) => i.path.endsWith('lan0.pcap'))?.records).toBe(40);
    // its own code, not "no known format": the gzip stream is what is damaged
    expect(r.inputs.find((i) => i.path === f)?.problems[0]).toMatchObject({ severity: 'error', code: 'E_GZIP' });
  });
});
