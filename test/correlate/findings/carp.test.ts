import { describe, expect, it } from 'vitest';
import { carpTranslations } from '../../../src/correlate/findings/carp.js';
import type { CarpAdvertRecord } from '../../../src/model/records.js';
import { advert } from '../fixtures.js';
import { findingInputs } from './inputs.js';

const carp = (sec: number, src: string, vhid: number): CarpAdvertRecord => {
  const b = advert(sec, src);
  return {
    kind: 'carp', file: 'wan.pcap', frame: b.frame, offset: 0, time: b.time, precision: 6, interface: b.interface, caplen: 70, origlen: 70,
    ipVersion: 4, src, dst: '224.0.0.18', ttl: 255, version: 2, type: 1, vhid, advskew: 0, authLen: 7, demotion: 0, advbase: 1,
    checksumStatus: 'ok', length: 36, truncated: false, ttlOk: true,
  };
};

describe('carpTranslations', () => {
  it('CARP from a SNAT target: a warning with vhid (vrid null), the capture and count typed; plain CARP is none', async () => {
    const x = await findingInputs({ translated: { '203.0.113.1': '198.51.100.2' } });
    for (let k = 0; k < 4; k++) for (const [src, vhid] of [['198.51.100.3', 3], ['203.0.113.1', 1]] as const) x.wire.carp(carp(k, src, vhid), carp(k, src, vhid).time!, null);
    x.wire.finish();
    const fs = carpTranslations(x);
    expect(fs.map((f) => [f.kind, f.severity, f.vrid, f.vhid, f.originalSource, f.translatedSource, f.adverts, f.file])).toEqual([
      ['carp-source-translated', 'warning', null, 1, '198.51.100.2', '203.0.113.1', 4, 'wan.pcap'],
    ]);
  });
});
