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

  it('an advert run: what its first advert says, and who really sent it (translated, or a router\'s own address)', () => {
    const a = { kind: 'advert' as const, version: 2, vrid: 150, priority: 150, src: '203.0.113.1' };
    expect(entrySummary(entry({ ...a, translated: { original: '198.51.100.175', router: 'gw-a' } }))).toBe('VRRPv2 vrid 150 prio 150 from 203.0.113.1 (translated; really 198.51.100.175, gw-a)');
    expect(entrySummary(entry({ ...a, version: 3, translated: { original: '198.51.100.175' }, checksumBad: true }))).toBe('VRRPv3 vrid 150 prio 150 from 203.0.113.1 (translated; really 198.51.100.175), checksum bad');
    expect(entrySummary(entry({ ...a, src: '198.51.100.176', router: 'gw-b' }))).toBe('VRRPv2 vrid 150 prio 150 from 198.51.100.176 (gw-b)');
    expect(entrySummary(entry({ kind: 'advert', version: 2, vrid: 7, src: '192.0.2.9' }))).toBe('VRRPv2 vrid 7 prio ? from 192.0.2.9');
  });

  it('a CARP run: vhid, advbase, advskew and source, translated with what it rewrote when known', () => {
    expect(entrySummary(entry({ kind: 'carp', vhid: 7, advbase: 1, advskew: 100, src: '198.51.100.2' }))).toBe('CARP vhid 7 advbase 1 advskew 100 from 198.51.100.2');
    expect(entrySummary(entry({ kind: 'carp', vhid: 7, src: '203.0.113.1', translated: { original: '198.51.100.2' }, checksumBad: true }))).toBe('CARP vhid 7 advbase ? advskew ? from 203.0.113.1 (translated; really 198.51.100.2), checksum bad');
    expect(entrySummary(entry({ kind: 'carp', vhid: 7, advbase: 1, advskew: 0, src: '203.0.113.1', translated: {} }))).toBe('CARP vhid 7 advbase 1 advskew 0 from 203.0.113.1 (translated)');
  });

  it('a gratuitous ARP or unsolicited NA run: the address and the MAC it is said to be at', () => {
    expect(entrySummary(entry({ kind: 'announce', announce: 'garp', address: '198.51.100.254', mac: '52:54:00:00:a0:01' }))).toBe('gratuitous ARP for 198.51.100.254 is-at 52:54:00:00:a0:01');
    expect(entrySummary(entry({ kind: 'announce', announce: 'na', address: '2001:db8::1' }))).toBe('unsolicited NA for 2001:db8::1');
  });

  it('a translated flow: born (and what dated it) or destroyed (and by whom)', () => {
    const f = { kind: 'flow' as const, protocol: 'unknown', src: '198.51.100.175', dst: '224.0.0.18', leavesAs: '203.0.113.1' };
    expect(entrySummary(entry({ ...f, event: 'born', from: 'ktimestamp' }))).toBe('conntrack unknown 198.51.100.175 > 224.0.0.18 leaves as 203.0.113.1: entry created (ktimestamp)');
    expect(entrySummary(entry({ ...f, event: 'destroyed', byUser: 'conntrack' }))).toBe('conntrack unknown 198.51.100.175 > 224.0.0.18 leaves as 203.0.113.1: entry destroyed by conntrack');
    expect(entrySummary(entry({ ...f, event: 'destroyed' }))).toBe('conntrack unknown 198.51.100.175 > 224.0.0.18 leaves as 203.0.113.1: entry destroyed');
  });
});
