import { describe, expect, it } from 'vitest';
import { storms } from '../../../src/correlate/findings/storm.js';
import { advert, ka } from '../fixtures.js';
import { findingInputs } from './inputs.js';

describe('storms', () => {
  it('"forcing new election" lines alone: a log storm, its line count typed, no advert count', async () => {
    const logs = [...Array(120)].map((_, i) => ka(10 + i / 60, 'gw-b', '(VI_1) Received advert from 192.0.2.1 with lower priority 100, ours 100, forcing new election'));
    const [s, ...rest] = storms(await findingInputs({ logs }));
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ kind: 'advert-storm', severity: 'warning', vrid: null, router: 'gw-b', hosts: ['gw-b'], peakRate: 60, lines: 120 });
    expect(s.adverts).toBeUndefined();
    expect(s.evidence.map((e) => e.role)).toEqual([{ kind: 'election-lines', host: 'gw-b', lines: 120, peak: 60 }]);
    expect(s.evidence[0].text).toMatch(/forcing new election$/);
  });

  it('adverts far above one per interval on the wire: a wire storm with its advert count and senders, no line count', async () => {
    const adverts = [...Array(400)].map((_, i) => advert(i / 100, i % 2 ? '198.51.100.175' : '198.51.100.176'));
    const [s] = storms(await findingInputs({ adverts }));
    expect(s).toMatchObject({ kind: 'advert-storm', vrid: 150, router: null, hosts: ['198.51.100.175', '198.51.100.176'] });
    expect(s.adverts).toBeGreaterThan(100);
    expect(s.lines).toBeUndefined();
    expect(s.evidence.map((e) => e.role)).toEqual([{ kind: 'storm-start' }]);
    expect(s.evidence[0].text).toMatch(/^198\.51\.100\.17[56] > 224\.0\.0\.18: VRRPv2/);
  });
});
