import { describe, expect, it } from 'vitest';
import { stateBands } from '../../src/correlate/bands.js';
import { LogDetector } from '../../src/correlate/states.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { ka, SEC, T0 } from './fixtures.js';

describe('stateBands', () => {
  it('each transition starts a band the next one ends; keepalived stopping ends the host\'s bands; a restart starts anew', () => {
    const logs = new LogDetector(new Topology(), new TimelineCollector(), () => 150);
    for (const e of [
      ka(0, 'gw-a', '(VI_1) Entering BACKUP STATE (init)'), ka(3, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(8, 'gw-a', 'Stopping'),
      ka(20, 'gw-a', '(VI_1) Entering BACKUP STATE (init)'),
    ]) logs.event(e, e.time, null);
    const b = stateBands(logs).map((x) => [x.state, Number((x.start - T0) / SEC), x.end === null ? null : Number((x.end - T0) / SEC)]);
    expect(b).toEqual([['BACKUP', 0, 3], ['MASTER', 3, 8], ['BACKUP', 20, null]]);
  });
});
