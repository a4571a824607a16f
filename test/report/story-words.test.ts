import { describe, expect, it } from 'vitest';
import { prepareZone } from '../../src/model/instant.js';
import type { EntryLife, HostEndState, RulesetShift } from '../../src/model/story.js';
import { birthCauseWords, endStatusWords, endedEntrySummary, lifeWords, rulesetSummary, shiftLines } from '../../src/report/story-words.js';

const SEC = 1_000_000_000n;
const T0 = 1796164429n * SEC; // 2026-12-01 22:33:49 UTC

describe('story words', () => {
  it('an idle entry: refreshed until, expires about, and the consequence — never "will never expire"', () => {
    const life: EntryLife = { state: 'idle', refreshedUntil: T0, refreshedFrom: 'last-advert', expiresAt: T0 + 600n * SEC, timeoutS: 600, why: 'router-stopped' };
    const w = lifeWords(life, 'gw-a', 'UTC');
    expect(w).toContain('refreshed until 2026-12-01 22:33:49.000000');
    expect(w).toContain('expires about 2026-12-01 22:43:49.000000 (600 s later)');
    expect(w).toContain('if gw-a advertises again (becomes master) before then, its adverts leave translated again');
    expect(w).not.toMatch(/never expire/);
  });

  it('the display zone is the one given', async () => {
    await prepareZone('Europe/Berlin');
    const life: EntryLife = { state: 'idle', refreshedUntil: T0, refreshedFrom: 'last-advert', expiresAt: T0 + 600n * SEC, timeoutS: 600, why: 'untracked' };
    expect(lifeWords(life, 'gw-a', 'Europe/Berlin')).toContain('23:43:49');
  });

  it('a birth after a flush, an expiry', () => {
    const destroyed = { file: 'gw-a/conntrack-events.log', line: 4, at: T0, byUser: 'conntrack' };
    expect(birthCauseWords({ kind: 'user-deletion', destroyed, previousReplyDst: '198.51.100.175', sameCommand: 2, gapNs: 352_000_000n }, 'UTC'))
      .toBe('born after the untranslated entry of the same flow was deleted by conntrack at 2026-12-01 22:33:49.000000 (gw-a/conntrack-events.log:4, 0.35 s before its birth; 2 VRRP entries at once: a flush)');
    expect(birthCauseWords({ kind: 'expiry', destroyed: { ...destroyed, byUser: undefined }, previousReplyDst: '198.51.100.175', sameCommand: 1, gapNs: SEC }, 'UTC')).toMatch(/^born after the untranslated entry of the same flow expired at /);
    expect(endedEntrySummary({ protocol: 'unknown', src: 'a', dst: 'b', replyDst: 'a', kind: 'user-deletion', byUser: 'conntrack', sameCommand: 1 })).toContain('entry deleted by conntrack;');
  });

  it('a ruleset change as a diff; the first snapshot as its nat rules', () => {
    const shift: RulesetShift = { before: { file: 'x.1', at: 0n }, after: { file: 'x.2', at: SEC }, beforeDecision: 'exempt', afterDecision: 'translated', added: [], removed: [{ table: 'nat', text: '-A POSTROUTING -p vrrp -j ACCEPT', line: 7 }] };
    expect(shiftLines(shift)).toEqual(['− nat -A POSTROUTING -p vrrp -j ACCEPT  (x.1 line 7)']);
    expect(rulesetSummary(3, [], { first: false, added: [{ table: 'raw', text: '-A OUTPUT -p vrrp -j NOTRACK', line: 5 }], removed: [], rules: 3 })).toBe('ruleset saved: 3 rules; changed: + raw -A OUTPUT -p vrrp -j NOTRACK');
    expect(rulesetSummary(1, ['-A POSTROUTING -j SNAT --to-source 203.0.113.1'], { first: true, added: [], removed: [], rules: 1 })).toBe('ruleset saved: 1 rule; -A POSTROUTING -j SNAT --to-source 203.0.113.1');
    expect(rulesetSummary(1, [], { first: false, added: [], removed: [], rules: 1 })).toBe('ruleset saved: 1 rule; no change');
  });

  it('end states: idle until, fixed with a stale entry, needs the fix', () => {
    const h = (x: Partial<HostEndState>): HostEndState => ({ host: 'gw-a', keepalived: 'STOPPED', status: 'fixed', needsFix: false, findings: [], ...x });
    expect(endStatusWords(h({ status: 'entry-idle', entryIdleUntil: T0, needsFix: true }), 'UTC')).toBe('translated entry idle until about 2026-12-01 22:33:49.000000 — needs the fix');
    expect(endStatusWords(h({ entryIdleUntil: T0 }), 'UTC')).toBe('fixed; its stale translated entry idle until about 2026-12-01 22:33:49.000000');
    expect(endStatusWords(h({ status: 'still-translating', needsFix: true }), 'UTC')).toBe('still translating — needs the fix');
  });
});
