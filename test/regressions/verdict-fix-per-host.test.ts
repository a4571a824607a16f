import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { buildBrief } from '../../src/report/brief.js';
import { ROOT } from '../helpers/capture.js';

const brief = async (name: string) => {
  process.chdir(ROOT);
  return buildBrief(await analyze([path.join('samples', name)], { tz: 'UTC' }));
};

/**
 * The verdict's fix covered the first finding only: on a VRRPv3 unicast pair where gw-b was fixed and gw-a still
 * translated, it gave gw-b's fix (already applied) first and gw-a's as if both were open. Now a fix per host that still
 * needs one, and none for a host the evidence shows fixed.
 */
describe('regression: the fix per host that still needs one', () => {
  it('v3-half-fixed: gw-a\'s fix only', async () => {
    const b = await brief('v3-half-fixed');
    expect(b.fixes.map((f) => f.host)).toEqual(['gw-a']);
    expect(b.endStates.map((e) => [e.host, e.status, e.needsFix])).toEqual([['gw-a', 'still-translating', true], ['gw-b', 'fixed', false]]);
  });

  it('seed-snat (fixed in the recording): no fix left to give; conntrack-full: the exhaustion remedy for gw-b', async () => {
    expect((await brief('seed-snat')).fixes).toEqual([]);
    const full = await brief('conntrack-full');
    expect(full.fixes.map((f) => f.host)).toEqual(['gw-b']);
    expect(full.causes.map((c) => c.finding.kind)).toEqual(['conntrack-exhaustion']);
  });
});
