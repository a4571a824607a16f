import { describe, expect, it } from 'vitest';
import { clockOffsets } from '../../src/correlate/clocks.js';
import { LogDetector } from '../../src/correlate/states.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { WireDetector } from '../../src/correlate/wire.js';
import { advert, ka, SEC } from './fixtures.js';

function setup(logShift: number) {
  const topo = new Topology();
  topo.addAddress('gw-a', '198.51.100.175', { how: 'keepalived.conf', evidence: { file: 'f', locator: 'line 1', at: null, text: '' } });
  const tl = new TimelineCollector();
  const wire = new WireDetector(topo, tl);
  const logs = new LogDetector(topo, tl, () => 150);
  for (const s of [10, 100]) {
    for (let k = 0; k < 5; k++) {
      const r = advert(s + k, '198.51.100.175');
      wire.advert(r, r.time!, 'gw-a');
    }
    const e = ka(s + logShift, 'gw-a', '(VI_1) Entering MASTER STATE');
    logs.event(e, e.time, 'gw-a');
  }
  return clockOffsets(wire, logs);
}

describe('clockOffsets', () => {
  it('log time − the first advert of that router on the wire, median of the MASTER entries', () => {
    const [c] = setup(0.25);
    expect(c).toMatchObject({ host: 'gw-a', samples: 2, applied: false });
    expect(c.offsetNs).toBe(250_000_000n);
    expect(c.suspect).toBeUndefined();
    // the MASTER entry in keepalived's words, as a transition; the advert as read
    expect(c.evidence.map((e) => [e.text, e.role])).toEqual([['Entering MASTER STATE', { kind: 'transition' }], [expect.any(String), undefined]]);
  });
  it('a whole-hour offset is found beyond the near window and flagged as a zone mistake', () => {
    const [c] = setup(-3600);
    expect(c.offsetNs).toBe(-3600n * SEC);
    expect(c.suspect).toBe('wrong-zone');
    expect(c.evidence[0]).toMatchObject({ text: 'Entering MASTER STATE', role: { kind: 'transition' } });
  });
});
