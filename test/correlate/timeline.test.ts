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

  it('n events at once (a run summarised upstream) end as n calls would; a time before the last moves the run back', () => {
    const one = new TimelineCollector();
    const many = new TimelineCollector();
    for (const at of [1n, 2n, 3n, 4n, 2n, 6n]) one.run('k', 3n, () => e(at), at);
    many.run('k', 3n, () => e(1n), 1n, 4, 4n);
    many.run('k', 3n, () => e(2n), 2n);
    // 6 is 4 past 2 (the last): a new entry, though within 3 of 4, where the run stood before the time went back
    many.run('k', 3n, () => e(6n), 6n);
    expect(many.entries).toEqual(one.entries);
    expect(one.entries.map((x) => [x.at, x.repeat, x.until])).toEqual([[1n, 5, 2n], [6n, undefined, undefined]]);
  });

  it('a run kept by its caller (a slot) is the same run as by key, and is put back once swept', () => {
    const t = new TimelineCollector();
    const slot = t.slot('k');
    for (const at of [1n, 2n]) if (!t.extend(slot, 2n, at)) t.open(slot, 2n, e(at), at);
    expect(t.run('k', 2n, () => e(3n), 3n)).toBe(false);
    expect(t.entries).toEqual([expect.objectContaining({ at: 1n, repeat: 3, until: 3n })]);
    // 5,000 other runs make the collector sweep: k, quiet past its own gap, is forgotten; opened again, it is back
    for (let k = 0n; k < 5000n; k++) t.run(`o${k}`, 1n, () => e(10n + k), 10n + k);
    expect(t.slot('k')).not.toBe(slot);
    expect(t.extend(slot, 2n, 6000n)).toBe(false);
    t.open(slot, 2n, e(6000n), 6000n);
    expect(t.slot('k')).toBe(slot);
  });

  it('sweeps a run only past its own gap, whatever the gap of the run that sweeps', () => {
    const t = new TimelineCollector();
    t.run('long', 100n, () => e(1n), 1n);
    // 5,000 runs with a gap of 1: the sweep they make at 50 must keep 'long' (quiet 49 < 100)
    for (let k = 0n; k < 5000n; k++) t.run(`o${k}`, 1n, () => e(50n), 50n);
    expect(t.run('long', 100n, () => e(60n), 60n)).toBe(false);
    expect(t.entries[0]).toMatchObject({ at: 1n, repeat: 2, until: 60n });
  });

  it('stays bounded: past the cap entries are counted as dropped', () => {
    const t = new TimelineCollector(3);
    for (let k = 0n; k < 10n; k++) t.add(e(10n - k));
    expect(t.entries).toHaveLength(3);
    expect(t.dropped).toBe(7);
    expect(t.sorted().map((x) => x.at)).toEqual([8n, 9n, 10n]);
  });
});
