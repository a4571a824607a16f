import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';
import { analyze } from '../../src/correlate/analyze.js';
import { checkCase, type Reader } from '../fuzz/harness.js';

/**
 * Every input a fuzz campaign (`npm run fuzz`) saved as failing is replayed here, through the reader it broke, with
 * the same invariants. A file stays after its fix, as the regression.
 */
const DIR = path.join(ROOT, 'test/regressions/fuzz');
const cases = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.bin')).sort() : [];
const sets = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.startsWith('analyze-')).sort() : [];

describe('fuzz regressions replayed', () => {
  it('the folder of saved cases exists and every case is named for its reader', () => {
    expect(existsSync(DIR)).toBe(true);
    for (const c of cases) expect(c).toMatch(/^(capture|conntrack|syslog|keepalived-conf|firewall)-[0-9a-f]{16}\.bin$/);
  });
  it.each(sets)('%s (a damaged evidence set): analyze completes', async (set) => {
    const r = await analyze([path.join(DIR, set)], { tz: 'UTC' });
    expect(r.schema).toBe('vrrp-forensics/report@1');
  });
  it.each(cases)('%s', (file) => {
    const reader = file.split('-').slice(0, -1).join('-') as Reader;
    expect(() => checkCase(reader, readFileSync(path.join(DIR, file)), [Infinity, 4096, 7])).not.toThrow();
  });
});
