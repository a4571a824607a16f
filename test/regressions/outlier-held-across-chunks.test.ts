import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../src/model/records.js';
import { readCapture, type CaptureInfo } from '../../src/sources/capture/reader.js';
import { drain } from '../helpers/drain.js';
import { ether, ipv4, pcapHeader, pcapRecord, vrrp2 } from '../helpers/craft.js';

/**
 * Found by issue 17's parallel reader tests: a packet whose time is far from the others is held back until the next
 * packet judges it; the copy held was Buffer#slice — a view of the file's read buffer, which the next read overwrites.
 * An advert held at the end of a chunk was decoded from the next chunk's bytes: its record lost (or made up from
 * other bytes) while its E_BAD_TIME warning stayed. The held packet is now a copy.
 */
describe('regression: a packet held by the outlier gate across a read', () => {
  it('is decoded from its own bytes whatever the chunk size', async () => {
    const T0 = 1_795_586_000;
    const advert = ether('52:54:00:00:a0:01', 0x0800, ipv4([198, 51, 100, 1], [224, 0, 0, 18], 112, vrrp2(150, 100, [[198, 51, 100, 254]])));
    const recs = Array.from({ length: 12 }, (_, i) => pcapRecord(advert, i === 6 ? T0 + 400 * 86_400 : T0 + i, 0));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vf-held-')), 'outlier.pcap');
    writeFileSync(file, Buffer.concat([pcapHeader(1), ...recs]));
    // a 24-byte header and 62-byte records: with 229- or 458-byte reads the outlier (frame 7, bytes 396-457) ends one
    for (const chunkSize of [229, 458, 100, 1 << 20]) {
      const { items, info } = await drain<CaptureRecord, CaptureInfo>(readCapture(file, { chunkSize, parallel: false }));
      expect(items.map((r) => [r.frame, r.timeOutlier ?? false, r.kind === 'vrrp' && r.src])).toEqual(
        Array.from({ length: 12 }, (_, i) => [i + 1, i === 6, '198.51.100.1']),
      );
      expect(info.problems.map((p) => [p.code, p.frame])).toEqual([['E_BAD_TIME', 7]]);
    }
  });
});
