import { describe, expect, it } from 'vitest';
import { LoadContext } from '../../../src/correlate/load/context.js';
import type { PlannedInput } from '../../../src/correlate/plan.js';
import type { Problem } from '../../../src/errors.js';

describe('the load context', () => {
  it('a reader\'s problems: the first 50 as it wrote them, the rest as a count (a fact, worded at the edge)', () => {
    const p = { path: 'gw-a/syslog', kind: 'syslog', gzip: false, reason: '', fromDirectory: false, host: 'gw-a' } as PlannedInput;
    const ctx = new LoadContext({ tz: 'UTC' }, [p], new Map());
    const s = ctx.summary(p, null);
    const ps: Problem[] = Array.from({ length: 53 }, (_, k) => ({ code: 'E_BAD_TIME', severity: 'warning', message: `bad time ${k}`, line: k + 1 }));
    ctx.problems(s, ps);
    expect(s.problems).toHaveLength(51);
    expect(s.problems[49]).toEqual({ locator: 'line 50', message: 'bad time 49', severity: 'warning', code: 'E_BAD_TIME' });
    expect(s.problems[50]).toEqual({ locator: '', severity: 'warning', code: 'E_BAD_TIME', fact: { kind: 'more-problems', count: 3 } });
  });
});
