import { describe, expect, it } from 'vitest';
import { loadConntrack } from '../../../src/correlate/load/conntrack.js';
import { LoadContext } from '../../../src/correlate/load/context.js';
import type { PlannedInput } from '../../../src/correlate/plan.js';
import { ROOT } from '../../helpers/capture.js';

describe('the conntrack loader', () => {
  it('samples/delete-only: a translated flow\'s birth and destruction are timeline facts — the flow, what it leaves as, what dated it, who deleted it', async () => {
    process.chdir(ROOT);
    const p = { path: 'samples/delete-only/gw-a/conntrack-events.log', kind: 'conntrack', gzip: false, reason: '', fromDirectory: false, host: 'gw-a' } as PlannedInput;
    const ctx = new LoadContext({ tz: 'UTC' }, [p], new Map());
    await loadConntrack.load([p], ctx);
    const flow = { kind: 'flow', protocol: 'unknown', src: '198.51.100.175', dst: '224.0.0.18', leavesAs: '203.0.113.1' };
    const life = ctx.timeline.entries;
    expect(life.map((e) => [e.kind, e.locator, e.summary, e.fact])).toEqual([
      ['conntrack-born', 'line 3', undefined, { ...flow, event: 'born', from: 'event' }],
      // deleted by `conntrack -D` (the event log names the user command), then born again on the next advert
      ['conntrack-destroyed', 'line 4', undefined, { ...flow, event: 'destroyed', byUser: 'conntrack' }],
      ['conntrack-born', 'line 6', undefined, { ...flow, event: 'born', from: 'event' }],
      ['conntrack-destroyed', 'line 7', undefined, { ...flow, event: 'destroyed', byUser: 'portid 2784275741' }],
    ]);
  });
});
