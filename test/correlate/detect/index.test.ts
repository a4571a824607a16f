import { describe, expect, it } from 'vitest';
import { detectorsFor } from '../../../src/correlate/detect/index.js';
import { LoadContext } from '../../../src/correlate/load/context.js';
import type { PlannedInput } from '../../../src/correlate/plan.js';

const S = 1_000_000_000n;

describe('the detectors, finished in order', () => {
  it('the end of the evidence is taken before the side lines join the timeline; exhaustion then finds the full table', () => {
    const log = { path: 'gw-a/syslog', kind: 'syslog', gzip: false, reason: '', fromDirectory: false, host: 'gw-a' } as PlannedInput;
    const ctx = new LoadContext({ tz: 'UTC' }, [log], new Map());
    const s = ctx.summary(log, null);
    ctx.seen(s, 100n * S);
    // a kernel "table full" run after the log's last keepalived line
    ctx.side = [{ kind: 'conntrack-table-full', file: log.path, host: 'gw-a', first: { line: 40, at: 120n * S, text: 'nf_conntrack: table full, dropping packet' }, precision: 6, last: { line: 41, at: 121n * S }, lines: 2 }];
    const { board, detectors } = detectorsFor(ctx);
    for (const d of detectors) d.finish(board);
    expect(board.end).toBe(100n * S);
    expect(ctx.timeline.entries.some((e) => e.at === 120n * S && e.host === 'gw-a')).toBe(true);
    expect(board.exhausted.map((f) => f.kind)).toEqual(['conntrack-exhaustion']);
    expect(board.findings.map((f) => f.kind)).toContain('conntrack-exhaustion');
  });

  it('the stream\'s detectors take items; the ones that read what others found do not', () => {
    const { detectors } = detectorsFor(new LoadContext({ tz: 'UTC' }, [], new Map()));
    expect(detectors.map((d) => Boolean(d.item))).toEqual([true, true, false, false, false, false, false]);
  });
});
