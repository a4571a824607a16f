import { describe, expect, it } from 'vitest';
import { electionEffect } from '../../../src/correlate/findings/election.js';
import { ka, SEC, T0 } from '../fixtures.js';
import { findingInputs } from './inputs.js';

describe('electionEffect', () => {
  it('the peer yielded to a higher priority from the translated address: seen wrong, but no election changed', async () => {
    const x = await findingInputs({
      translated: { '203.0.113.1': '198.51.100.175' },
      logs: [ka(1, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(3, 'gw-b', '(VI_1) Received advert from 203.0.113.1 with higher priority 150, ours 100'), ka(3, 'gw-b', '(VI_1) Entering BACKUP STATE')],
    });
    const e = electionEffect(x, 'gw-a', T0 + 2n * SEC, T0 + 10n * SEC);
    expect([e.elected, e.seenWrong, e.transitions.map((t) => [t.host, t.to])]).toEqual([false, true, [['gw-b', 'MASTER'], ['gw-b', 'BACKUP']]]);
  });

  it('the peer dropped the adverts as bad VRRPv3 checksums and took over: the translation changed the election', async () => {
    const x = await findingInputs({
      logs: [ka(2, 'gw-b', '(VI_1) Invalid VRRPv3 checksum'), ka(5, 'gw-b', '(VI_1) Entering MASTER STATE')],
    });
    expect(electionEffect(x, 'gw-a', T0 + SEC, T0 + 10n * SEC).elected).toBe(true);
  });

  it('transitions long before or after the translation are not its effect', async () => {
    const x = await findingInputs({ logs: [ka(0, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(60, 'gw-b', '(VI_1) Entering BACKUP STATE')] });
    expect(electionEffect(x, 'gw-a', T0 + 20n * SEC, T0 + 30n * SEC)).toEqual({ transitions: [], elected: false, seenWrong: false });
  });
});
