import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { findingSentence } from '../../src/report/brief-words.js';
import { ROOT } from '../helpers/capture.js';

// v3-half-fixed: both gateways' VRRPv3 unicast adverts were translated and each dropped the other's; gw-b was fixed
// at 22:34:20 while gw-a's translation kept the brain split to the end. The split brain named gw-b's translation
// alone as its cause (one id, the first overlapping translation), so gw-a's — the one still at work — read as a
// mere warning with "no election in the evidence".
const view = { tz: 'UTC', style: 'tttt' as const, context: 5, colour: false };

describe('a split brain names every translation that caused it', () => {
  it('v3-half-fixed: caused by both translations; each is critical and led to it', async () => {
    const r = await analyze([path.join(ROOT, 'samples/v3-half-fixed')], { tz: 'UTC' });
    const split = r.findings.find((f) => f.kind === 'split-brain')!;
    const translations = r.findings.filter((f) => f.kind === 'vrrp-source-translated');
    expect(translations.map((f) => f.router).sort()).toEqual(['gw-a', 'gw-b']);
    const ids = [split.causedBy, ...(split.alsoCausedBy ?? [])].sort();
    expect(ids).toEqual(translations.map((f) => f.id).sort());
    for (const f of translations) expect(f).toMatchObject({ severity: 'critical', election: 'split-brain', led: [split.id] });
    expect(findingSentence(split, view, r.findings)).toContain(`caused by ${split.causedBy} and ${split.alsoCausedBy![0]}`);
  });

  it('split-brain (one side translated): one cause, no second one invented', async () => {
    const r = await analyze([path.join(ROOT, 'samples/split-brain')], { tz: 'UTC' });
    const split = r.findings.find((f) => f.kind === 'split-brain')!;
    expect(split.causedBy).toBeDefined();
    expect(split.alsoCausedBy).toBeUndefined();
  });
});
