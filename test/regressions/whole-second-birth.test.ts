import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { ROOT } from '../helpers/capture.js';

/**
 * A `conntrack -L -o ktimestamp` start is a whole second (ctime). The translated entry of samples/reload-race started
 * at "22:33:23" and the first translated advert left at 22:33:23.2246: the same second, so born with it. The event log
 * removed, the comparison used to allow 0.1 s past the whole second and called the entry "born earlier".
 */
describe('regression: a whole-second birth time in the same second as the first translated advert', () => {
  it('reload-race without its event log: born with the first advert, decided at 1 s precision', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-second-'));
    try {
      cpSync(path.join(ROOT, 'samples/reload-race'), dir, { recursive: true, filter: (f) => !f.endsWith('conntrack-events.log') });
      const r = await analyze([dir], { tz: 'UTC' });
      const c = r.findings.find((f) => f.kind === 'vrrp-source-translated')!.conntrack!;
      expect(c.createdAtFrom).toBe('ktimestamp');
      expect(c.relation).toBe('born-with-first-advert');
      expect(c.relationPrecision).toBe('second');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
