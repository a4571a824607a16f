import { describe, expect, it } from 'vitest';
import { masterChanges } from '../../../src/correlate/findings/master-change.js';
import { advert, ka, T0 } from '../fixtures.js';
import { findingInputs } from './inputs.js';

describe('masterChanges', () => {
  it('from the logs: each MASTER entry, seen in the log, with its host and instance and its typed reason', async () => {
    const x = await findingInputs({ logs: [ka(0, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(5, 'gw-b', '(VI_1) Entering MASTER STATE')] });
    const fs = masterChanges(x, new Map());
    expect(fs.map((f) => [f.router, f.seen, f.start])).toEqual([
      ['gw-a', { by: 'log', host: 'gw-a', instance: 'VI_1' }, T0],
      ['gw-b', { by: 'log', host: 'gw-b', instance: 'VI_1' }, T0 + 5_000_000_000n],
    ]);
    expect(fs[0].transitions).toHaveLength(1);
    expect(fs[0].evidence[0]).toMatchObject({ locator: `line ${x.logs.transitions[0].line}`, text: 'Entering MASTER STATE', role: { kind: 'transition' } });
  });

  it('on the wire (no log for the vrid): from → to, with the rule that decided it', async () => {
    const adverts = [...[0, 1, 2].map((s) => advert(s, '198.51.100.175', { priority: 150 })), advert(3, '198.51.100.175', { priority: 0 }), ...[3.5, 4.5].map((s) => advert(s, '198.51.100.176', { priority: 100 }))];
    const [f, ...rest] = masterChanges(await findingInputs({ adverts }), new Map());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ router: '198.51.100.176', changeRule: 'after-resignation', toPriority: 100, seen: { by: 'wire', from: '198.51.100.175', to: '198.51.100.176' } });
  });

  it('a flapping pair: the middle summarised as one typed gap (how many left out, of how many)', async () => {
    const logs = [...Array(600)].map((_, i) => ka(i * 10, i % 2 ? 'gw-b' : 'gw-a', '(VI_1) Entering MASTER STATE'));
    const fs = masterChanges(await findingInputs({ logs }), new Map());
    expect(fs).toHaveLength(401);
    expect(fs[200].seen).toEqual({ by: 'flapping', omitted: 200, total: 600 });
  });
});
