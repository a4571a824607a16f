import { describe, expect, it } from 'vitest';
import { evidenceEnd } from '../../src/model/evidence-end.js';
import type { InputSummary, TimelineEntry } from '../../src/model/report.js';

const entry = (at: bigint, until?: bigint): TimelineEntry => ({ at, host: null, source: 'capture', kind: 'advert', summary: '', file: 'f', locator: 'frame 1', ...(until ? { until } : {}) });
const input = (kind: InputSummary['kind'], last: bigint | null): InputSummary => ({ path: 'p', kind, format: null, host: null, records: 1, first: last, last, problems: [] });

describe('evidenceEnd', () => {
  it('the latest entry or run end, or a capture/log record; snapshots and rulesets do not extend it', () => {
    expect(evidenceEnd([entry(10n), entry(5n, 20n)], [])).toBe(20n);
    expect(evidenceEnd([entry(10n)], [input('syslog', 30n), input('conntrack', 99n), input('iptables', 99n)])).toBe(30n);
    expect(evidenceEnd([], [])).toBeNull();
  });
});
