import { describe, expect, it } from 'vitest';
import { endedEntrySummary, rulesetSummary, sideRunSummary } from '../../src/correlate/story-lines.js';

describe('story timeline lines', () => {
  it('a ruleset snapshot: the first as its nat rules, a later one as its change', () => {
    expect(rulesetSummary(3, [], { first: false, added: [{ table: 'raw', text: '-A OUTPUT -p vrrp -j NOTRACK', line: 5 }], removed: [], rules: 3 })).toBe('ruleset saved: 3 rules; changed: + raw -A OUTPUT -p vrrp -j NOTRACK');
    expect(rulesetSummary(1, ['-A POSTROUTING -j SNAT --to-source 203.0.113.1'], { first: true, added: [], removed: [], rules: 1 })).toBe('ruleset saved: 1 rule; -A POSTROUTING -j SNAT --to-source 203.0.113.1');
    expect(rulesetSummary(1, [], { first: false, added: [], removed: [{ table: 'nat', text: '-A POSTROUTING -p vrrp -j ACCEPT', line: 7 }], rules: 1 })).toBe('ruleset saved: 1 rule; changed: − nat -A POSTROUTING -p vrrp -j ACCEPT');
    expect(rulesetSummary(1, [], { first: false, added: [], removed: [], rules: 1 })).toBe('ruleset saved: 1 rule; no change');
  });

  it('an ended entry: deleted alone, in a flush, or expired', () => {
    const e = { protocol: 'unknown', src: '198.51.100.175', dst: '224.0.0.18', replyDst: '198.51.100.175', kind: 'user-deletion' as const, byUser: 'conntrack' };
    expect(endedEntrySummary({ ...e, sameCommand: 1 })).toContain('entry deleted by conntrack;');
    expect(endedEntrySummary({ ...e, sameCommand: 2 })).toContain('with 1 other VRRP entry at once (a flush)');
    expect(endedEntrySummary({ ...e, sameCommand: 3 })).toContain('with 2 other VRRP entries at once');
    expect(endedEntrySummary({ ...e, kind: 'expiry', sameCommand: 1 })).toContain('entry expired;');
    expect(sideRunSummary('send-advert-error', 'x')).toBe('keepalived could not send its advert (x)');
  });
});
