import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { hostEndStates } from '../../src/correlate/end-state.js';
import { toRfc3339 } from '../../src/model/instant.js';
import type { StateBand, TranslationFinding } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
const run = async (name: string) => {
  process.chdir(ROOT);
  return analyze([path.join('samples', name)], { tz: 'UTC' });
};
const of = (r: Awaited<ReturnType<typeof run>>, host: string) => r.endStates!.find((e) => e.host === host)!;

describe('hostEndStates on the recordings', () => {
  it('v3-half-fixed: gw-b fixed (NOTRACK saved, source reverted), gw-a still translating and MASTER — only gw-a needs the fix', async () => {
    const r = await run('v3-half-fixed');
    expect(of(r, 'gw-b')).toMatchObject({ keepalived: 'MASTER', status: 'fixed', needsFix: false, rules: { decision: 'untracked' } });
    expect(of(r, 'gw-a')).toMatchObject({ keepalived: 'MASTER', status: 'still-translating', needsFix: true, rules: { decision: 'translated' } });
  });

  it('reload-race: gw-a stopped with its translated entry idle until its last advert + 600 s, rules still translating; gw-b untouched', async () => {
    const r = await run('reload-race');
    const a = of(r, 'gw-a');
    expect(a).toMatchObject({ keepalived: 'STOPPED', status: 'entry-idle', needsFix: true, rules: { decision: 'translated' } });
    expect(toRfc3339(a.entryIdleUntil!, 6)).toBe('2026-12-01T22:43:31.952720Z');
    expect(of(r, 'gw-b')).toMatchObject({ status: 'untranslated', needsFix: false, findings: [] });
  });

  it('idle-after-fix: gw-a fixed (NOTRACK), its stale entry idle until about 22:43:49', async () => {
    const a = of(await run('idle-after-fix'), 'gw-a');
    expect(a).toMatchObject({ status: 'fixed', needsFix: false, rules: { decision: 'untracked' } });
    expect(toRfc3339(a.entryIdleUntil!, 3)).toBe('2026-12-01T22:43:49.303Z');
  });

  it('conntrack-full: gw-b\'s table was full — needs a fix though nothing was translated', async () => {
    const r = await run('conntrack-full');
    expect(of(r, 'gw-b')).toMatchObject({ status: 'table-full', needsFix: true });
    expect(of(r, 'gw-a')).toMatchObject({ status: 'untranslated', needsFix: false });
  });

  it('seed-snat: fixed by NOTRACK and the deletion', async () => {
    expect(of(await run('seed-snat'), 'gw-a')).toMatchObject({ status: 'fixed', needsFix: false });
  });
});

describe('hostEndStates, crafted', () => {
  const translation = (extra: Partial<TranslationFinding>): TranslationFinding => ({
    id: 'F1', kind: 'vrrp-source-translated', severity: 'warning', vrid: 150, router: 'gw-a', originalSource: '198.51.100.175', translatedSource: '203.0.113.1',
    revertedAt: null, election: 'not-seen', transitions: [], sighting: { by: 'wire' }, evidence: [], ...extra,
  });
  const bands: StateBand[] = [{ host: 'gw-a', instance: 'VI_1', state: 'MASTER', start: 0n, end: null }];

  it('reverted with no saved ruleset: not called fixed, still needs the fix', () => {
    expect(hostEndStates([translation({ revertedAt: 5n * SEC })], bands, [], ['gw-a'])[0]).toMatchObject({ status: 'reverted', needsFix: true, keepalived: 'MASTER' });
  });

  it('not reverted: still translating; the worst status of several findings wins', () => {
    const fs = [translation({ revertedAt: 5n * SEC }), translation({ id: 'F2', revertedAt: null })];
    expect(hostEndStates(fs, bands, [], ['gw-a'])[0]).toMatchObject({ status: 'still-translating', needsFix: true, findings: ['F1', 'F2'] });
  });

  it('a host no log and no finding speaks of: untranslated, keepalived unknown', () => {
    expect(hostEndStates([], [], [], ['gw-c'])).toEqual([{ host: 'gw-c', keepalived: null, status: 'untranslated', needsFix: false, findings: [] }]);
  });
});

describe('hostEndStates: an entry that ended with no revert seen', () => {
  it('both-snat: gw-b fell silent as backup, its entry deleted by the fix (NOTRACK saved) — fixed, not still translating', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'both-snat')], { tz: 'UTC' });
    expect(r.endStates!.map((e) => [e.host, e.status, e.needsFix])).toEqual([['gw-a', 'fixed', false], ['gw-b', 'fixed', false]]);
  });
});
