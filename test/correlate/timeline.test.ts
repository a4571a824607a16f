import { describe, expect, it } from 'vitest';
import { TimelineCollector } from '../../src/correlate/timeline.js';

const e = (at: bigint, summary = 's') => ({ at, host: 'h', source: 'syslog' as const, kind: 'raw', summary, file: 'f', locator: `line ${at}` });

describe('TimelineCollector', () => {
  it('collapses a run into one entry with a count and an end; a gap starts a new entry', () => {
    const t = new TimelineCollector();
    for (const at of [1n, 2n, 3n, 10n]) t.run('k', 2n, () => e(at), at);
    expect(t.entries).toHaveLength(2);
    expect(t.entries[0]).toMatchObject({ at: 1n, repeat: 3, until: 3n });
    expect(t.entries[1].repeat).toBeUndefined();
  });

  it('stays bounded: past the cap entries are counted as dropped', () => {
    const t = new TimelineCollector(3);
    for (let k = 0n; k < 10n; k++) t.add(e(10n - k));
    expect(t.entries).toHaveLength(3);
    expect(t.dropped).toBe(7);
    expect(t.sorted().map((x) => x.at)).toEqual([8n, 9n, 10n]);
  });
});
