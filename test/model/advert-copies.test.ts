import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VrrpAdvertRecord } from '../../src/model/records.js';
import { CopyFilter } from '../../src/model/advert-copies.js';
import { readAll, ROOT } from '../helpers/capture.js';
import { advert } from '../correlate/fixtures.js';

const copiesIn = async (rel: string) => {
  const f = new CopyFilter();
  const { records } = await readAll(path.join(ROOT, 'samples', rel));
  return records.filter((r): r is VrrpAdvertRecord => r.kind === 'vrrp').filter((r) => f.isCopy(r, r.time!)).length;
};

describe('CopyFilter', () => {
  it('recorded: every advert of the vmac sender\'s -i any capture is there twice (vrrp.150 and lan0); an Ethernet capture has none', async () => {
    expect(await copiesIn('vmac/gw-a/any.pcap')).toBe(13);
    expect(await copiesIn('vmac/gw-b/lan0.pcap')).toBe(0);
    // -i any on a plain interface: one copy each
    expect(await copiesIn('seed-snat/gw-a/any.pcap')).toBe(0);
  });

  it('a copy is the same advert from another interface within a millisecond — not the same interface, later, or different', () => {
    const at = (r: VrrpAdvertRecord) => r.time!;
    const cases: [Partial<VrrpAdvertRecord>, number, boolean][] = [
      [{ ifIndex: 2, checksum: 1 }, 0.000006, true],
      [{ ifIndex: 7, checksum: 1 }, 0.000006, false], // same interface: a second packet
      [{ ifIndex: 2, checksum: 1 }, 0.002, false], // too late
      [{ ifIndex: 2, checksum: 2 }, 0.000006, false], // another advert
      [{ ifIndex: undefined, checksum: 1 }, 0.000006, false], // no interface (not SLL2)
    ];
    for (const [over, dt, copy] of cases) {
      const f = new CopyFilter();
      expect(f.isCopy(advert(0, '198.51.100.175', { ifIndex: 7, checksum: 1 }), at(advert(0, 'x')))).toBe(false);
      const r = advert(dt, '198.51.100.175', over);
      expect(f.isCopy(r, at(r))).toBe(copy);
    }
  });
});
