import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain-JS script shared with the command line (no declarations)
import { GOLDEN, runAll } from '../../scripts/golden.js';

interface Golden { argv: string; code: number | null; stdout: { bytes: number; sha256: string }; stderr: { bytes: number; sha256: string } }

// Every report of every recorded sample, byte for byte as before the speed work (scripts/golden.js wrote the file).
describe('outputs on every sample are byte-identical to the golden run', () => {
  it('analyze (json and text), adverts, conntrack and logs on each samples/* folder', async () => {
    const want = JSON.parse(readFileSync(GOLDEN as string, 'utf8')) as Golden[];
    const got = (await runAll()) as Golden[];
    expect(got.map((g) => g.argv)).toEqual(want.map((w) => w.argv));
    for (let i = 0; i < want.length; i++) expect(got[i], want[i].argv).toEqual(want[i]);
  }, 600_000);
});
