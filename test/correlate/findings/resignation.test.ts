import { describe, expect, it } from 'vitest';
import { resignations } from '../../../src/correlate/findings/resignation.js';
import { advert, T0 } from '../fixtures.js';
import { findingInputs } from './inputs.js';

describe('resignations', () => {
  it('a priority-0 advert seen in two captures: one info finding, both cited, its source typed', async () => {
    const adverts = ['a.pcap', 'b.pcap'].flatMap((file) => [advert(0, '198.51.100.175', { priority: 150, file }), advert(1, '198.51.100.175', { priority: 0, file })]);
    const [f, ...rest] = resignations(await findingInputs({ adverts }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'resignation', severity: 'info', vrid: 150, router: '198.51.100.175', src: '198.51.100.175', start: T0 + 1_000_000_000n, end: null });
    expect(f.evidence.map((e) => e.file)).toEqual(['a.pcap', 'b.pcap']);
  });
});
