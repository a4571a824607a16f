import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { toRfc3339 } from '../../src/model/instant.js';
import { findingsOf } from '../../src/model/report.js';
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
    // the rule in force as read; the later snapshot cited for its decision (a role, no line of its own); the flush as the event line shows it
    expect(k.contradiction!.sides[1]).toMatchObject({ text: '-A POSTROUTING -p vrrp -j ACCEPT' });
    expect(k.contradiction!.sides[1].role).toBeUndefined();
    const [shift, flush] = k.contradiction!.hypotheses;
    expect(shift.evidence).toEqual([{ file: P('gw-a/iptables-save.2-after-reload'), locator: 'line 1', at: expect.any(BigInt), text: '', role: { kind: 'ruleset-decision', decision: 'translated' } }]);
    expect(flush.evidence[0]).toMatchObject({ file: P('gw-a/conntrack-events.log'), locator: 'line 4', text: '[DESTROY] … [USERSPACE] portid 22129' });
    expect(flush.evidence[0].role).toBeUndefined();
  });

  it('reload-race with no nat rule at all before the reload: the rule side is typed "no rule translates", with the decision', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-story-'));
    try {
      cpSync(path.join(ROOT, 'samples/reload-race'), path.join(dir, 'reload-race'), { recursive: true });
      const before = path.join(dir, 'reload-race/gw-a/iptables-save.1-before-reload');
      writeFileSync(before, readFileSync(before, 'utf8').split('\n').filter((l) => !l.startsWith('-A ')).join('\n'));
      const r = await analyze([path.join(dir, 'reload-race')], { tz: 'UTC' });
      const k = findingsOf(r.findings, 'contradiction').find((f) => f.contradiction.claim === 'born-translated-under-exempting-rule')!;
      const [, rule] = k.contradiction!.sides;
      expect(rule).toMatchObject({ locator: 'line 1', text: '', role: { kind: 'no-translating-rule', decision: expect.any(String) } });
      expect(rule.role).not.toEqual(expect.objectContaining({ decision: 'translated' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
