import { describe, expect, it } from 'vitest';
import { coverageOf } from '../../src/correlate/coverage.js';
import type { InputSummary } from '../../src/model/report.js';

const input = (kind: InputSummary['kind'], host: string | null, records = 1, first: bigint | null = 1n): InputSummary =>
  ({ path: `${host}/${kind}`, kind, format: null, host, records, first, last: first, problems: [] });

describe('what the evidence allowed to check', () => {
  it('nothing readable: unknown files, unreadable ones, or nothing at all', () => {
    expect(coverageOf([])).toMatchObject({ evidence: 'none', checked: [], hosts: 0 });
    expect(coverageOf([input('unknown', null), input('capture', null, 0, null)]).evidence).toBe('none');
  });

  it('one source or one host is thin, and says what it could not look at', () => {
    expect(coverageOf([input('conntrack', null)])).toEqual({
      evidence: 'thin', hosts: 0, sources: ['conntrack'], checked: ['conntrack-entry'],
      unchecked: ['wire-sources', 'rule-in-force', 'transitions', 'configuration', 'peer-view'],
    });
    // a snapshot of a table without VRRP counts (a time, no records)
    expect(coverageOf([input('conntrack', 'gw-a', 0, 5n), input('syslog', 'gw-a')])).toMatchObject({ evidence: 'thin', hosts: 1, checked: ['conntrack-entry', 'transitions'] });
  });

  it('several sources from two hosts are broad; the peer\'s view is checked', () => {
    const c = coverageOf([input('capture', 'gw-b'), input('syslog', 'gw-a'), input('keepalived-conf', 'gw-a', 1, null)]);
    expect(c).toMatchObject({ evidence: 'broad', hosts: 2, checked: ['wire-sources', 'transitions', 'configuration', 'peer-view'], unchecked: ['conntrack-entry', 'rule-in-force'] });
  });
});
