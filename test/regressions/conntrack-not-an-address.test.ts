import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';

// A conntrack event line whose reply tuple ended "dst=garbage" (a damaged or hand-edited line) was read as an entry
// translated to the source "garbage": a translation finding naming an address that is none. The line is no entry now;
// it is reported on the input, line and all, and the other lines are still read.
describe('a tuple address that is no IP address', () => {
  it('gives no translation, and the line is named on the input', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-ct-'));
    try {
      const f = path.join(dir, 'conntrack-events.log');
      writeFileSync(f, [
        '[1795586141.743090]\t    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=garbage',
        '[1795586142.743090]\t    [NEW] unknown  112 600 src=198.51.100.176 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=198.51.100.176',
      ].join('\n') + '\n');
      const r = await analyze([f], { tz: 'UTC' });
      expect(r.findings.filter((x) => x.kind === 'vrrp-source-translated')).toEqual([]);
      const input = r.inputs.find((i) => i.path === f)!;
      expect(input.problems.map((p) => [p.locator, p.code])).toEqual([['line 1', expect.any(String)]]);
      expect(input.records).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
