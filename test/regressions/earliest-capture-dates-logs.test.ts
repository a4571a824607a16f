import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { ether, ipv4, pcapHeader, pcapRecord, vrrp2 } from '../helpers/craft.js';

/**
 * A year-less log is dated from the captures' first packet. The earliest was picked with a bare `.sort()`, which sorts
 * bigints as strings: a 1999 capture (18 digits of ns) sorted after a 2026 one (19 digits, "17…" < "9…"), so the log
 * of 31 Dec was dated 2025 instead of 1999.
 */
describe('regression: the earliest capture dates a year-less log, compared by value', () => {
  it('a 1999 capture beside a 2026 one dates "Dec 31" in 1999', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-near-'));
    try {
      const advert = ether('52:54:00:00:a0:01', 0x0800, ipv4([192, 0, 2, 1], [224, 0, 0, 18], 112, vrrp2(150, 150, [[192, 0, 2, 254]])));
      writeFileSync(path.join(dir, 'old.pcap'), Buffer.concat([pcapHeader(1), pcapRecord(advert, 946684798, 0)]));
      writeFileSync(path.join(dir, 'new.pcap'), Buffer.concat([pcapHeader(1), pcapRecord(advert, 1780272000, 0)]));
      writeFileSync(path.join(dir, 'syslog'), 'Dec 31 23:59:59 gw-a Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
      const r = await analyze([dir], { tz: 'UTC' });
      const log = r.inputs.find((i) => i.kind === 'syslog')!;
      expect(log.year?.first).toBe(1999);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
