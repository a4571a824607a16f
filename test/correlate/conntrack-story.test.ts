import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { toRfc3339 } from '../../src/model/instant.js';
import { ROOT } from '../helpers/capture.js';

const run = async (name: string) => {
  process.chdir(ROOT);
  return analyze([path.join('samples', name)], { tz: 'UTC' });
};
/** paths as analyze gives them (relative to the sample folder's parent) */
const P = (rel: string) => path.join('samples/reload-race', rel);

describe('conntrackStory on the recordings', () => {
  it('reload-race: the flush that let the entry be born is the cause, kept in the timeline; the exempting rule in force is a contradiction', async () => {
    const r = await run('reload-race');
    const t = r.findings.find((f) => f.kind === 'vrrp-source-translated')!;
    const c = t.conntrack!;
    expect(c.birthCause).toMatchObject({ kind: 'user-deletion', sameCommand: 2, destroyed: { file: P('gw-a/conntrack-events.log'), line: 4 } });
    expect(c.rulesetShift).toMatchObject({ before: { file: P('gw-a/iptables-save.1-before-reload') }, after: { file: P('gw-a/iptables-save.2-after-reload') }, removed: [{ text: '-A POSTROUTING -p vrrp -j ACCEPT' }] });
    expect(r.timeline.filter((e) => e.kind === 'conntrack-destroyed').map((e) => [e.file, e.locator])).toEqual([[P('gw-a/conntrack-events.log'), 'line 4']]);
    const k = r.findings.find((f) => f.kind === 'contradiction')!;
    expect(k).toMatchObject({ severity: 'warning', about: t.id, router: 'gw-a' });
    expect(k.contradiction!.claim).toBe('born-translated-under-exempting-rule');
    expect(k.contradiction!.sides.map((s) => [s.file, s.locator])).toEqual([[P('gw-a/conntrack-events.log'), 'line 7'], [P('gw-a/iptables-save.1-before-reload'), 'line 7']]);
    expect(k.contradiction!.hypotheses.map((h) => h.kind)).toEqual(['ruleset-changed-between-snapshots', 'flush-points-to-reload']);
  });

  it('idle-after-fix: the entry\'s life is idle, never "will never expire"', async () => {
    const r = await run('idle-after-fix');
    const c = r.findings.find((f) => f.kind === 'vrrp-source-translated')!.conntrack!;
    expect(c.life).toMatchObject({ state: 'idle', why: 'untracked', refreshedFrom: 'frozen-counter' });
    expect(toRfc3339(c.life!.expiresAt!, 0)).toBe('2026-12-01T22:43:49Z');
    expect(r.findings.some((f) => f.kind === 'contradiction')).toBe(false);
  });

  it('seed-snat: the rule in force at the birth translated — no contradiction, no birth cause (the first entry of the flow)', async () => {
    const r = await run('seed-snat');
    const c = r.findings.find((f) => f.kind === 'vrrp-source-translated')!.conntrack!;
    expect(c.birthCause).toBeUndefined();
    expect(c.relationPrecision).toBe('exact');
    expect(r.findings.some((f) => f.kind === 'contradiction')).toBe(false);
  });

  it('intermittent (the older reload recording): the flush is its cause too, and its after-reload snapshot explains the translation', async () => {
    const r = await run('intermittent');
    const c = r.findings.find((f) => f.kind === 'vrrp-source-translated')!.conntrack!;
    expect(c.birthCause).toMatchObject({ kind: 'user-deletion' });
    expect(r.findings.some((f) => f.kind === 'contradiction')).toBe(false);
  });
});
