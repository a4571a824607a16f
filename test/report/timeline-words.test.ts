import { describe, expect, it } from 'vitest';
import type { RuleChange, TimelineEntry, TimelineFact } from '../../src/model/report.js';
import { entryJson, entrySummary } from '../../src/report/timeline-words.js';

const entry = (fact: TimelineFact, change?: RuleChange): TimelineEntry => ({ at: 1n, host: 'gw-a', source: 'config', kind: 'x', fact, file: 'f', locator: 'line 1', ...(change ? { change } : {}) });
const ruleset = (rules: number, nat: string[], change: RuleChange) => entrySummary(entry({ kind: 'ruleset', rules, nat }, change));

describe('the timeline lines the analysis adds, worded from their facts', () => {
  it('a ruleset snapshot: the first as its nat rules, a later one as its change', () => {
    expect(ruleset(3, [], { first: false, added: [{ table: 'raw', text: '-A OUTPUT -p vrrp -j NOTRACK', line: 5 }], removed: [], rules: 3 })).toBe('ruleset saved: 3 rules; changed: + raw -A OUTPUT -p vrrp -j NOTRACK');
    expect(ruleset(1, ['-A POSTROUTING -j SNAT --to-source 203.0.113.1'], { first: true, added: [], removed: [], rules: 1 })).toBe('ruleset saved: 1 rule; -A POSTROUTING -j SNAT --to-source 203.0.113.1');
    expect(ruleset(1, [], { first: false, added: [], removed: [{ table: 'nat', text: '-A POSTROUTING -p vrrp -j ACCEPT', line: 7 }], rules: 1 })).toBe('ruleset saved: 1 rule; changed: − nat -A POSTROUTING -p vrrp -j ACCEPT');
    expect(ruleset(1, [], { first: false, added: [], removed: [], rules: 1 })).toBe('ruleset saved: 1 rule; no change');
  });

  it('an ended entry: deleted alone, in a flush, or expired; a run of side lines', () => {
    const e = { kind: 'ended-entry' as const, protocol: 'unknown', src: '198.51.100.175', dst: '224.0.0.18', replyDst: '198.51.100.175', how: 'user-deletion' as const, byUser: 'conntrack' };
    expect(entrySummary(entry({ ...e, sameCommand: 1 }))).toContain('entry deleted by conntrack;');
    expect(entrySummary(entry({ ...e, sameCommand: 2 }))).toContain('with 1 other VRRP entry at once (a flush)');
    expect(entrySummary(entry({ ...e, sameCommand: 3 }))).toContain('with 2 other VRRP entries at once');
    expect(entrySummary(entry({ ...e, how: 'expiry', sameCommand: 1 }))).toContain('entry expired;');
    expect(entrySummary(entry({ kind: 'side-run', run: 'send-advert-error', text: 'x' }))).toBe('keepalived could not send its advert (x)');
  });

  it('an entry that is its own line keeps it; in JSON a fact is worded into `summary` where it stands, the fact after it', () => {
    const line: TimelineEntry = { at: 1n, host: null, source: 'syslog', kind: 'raw', summary: 'as read', file: 'f', locator: 'line 2' };
    expect(entrySummary(line)).toBe('as read');
    expect(entryJson(line)).toBe(line);
    const side = entry({ kind: 'side-run', run: 'conntrack-table-full', text: 'x' });
    expect(Object.keys(entryJson(side))).toEqual(['at', 'host', 'source', 'kind', 'summary', 'fact', 'file', 'locator']);
  });
});
