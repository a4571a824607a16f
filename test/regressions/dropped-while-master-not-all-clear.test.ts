import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { exitStatus, findingsOf } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// A backup's syslog alone (samples/vrrpv3-unicast, gw-b) read as an all-clear: "No VRRP source translation, split
// brain or storm found", exit 0 — though gw-b logged "Invalid VRRPv3 checksum" every second, took MASTER on the
// timeout and went on logging them for 8 s while MASTER: a live master's adverts, dropped. Only a master advertises,
// so that is a split brain, provable from the one log; the same holds for AH and unicast-peer drops.
describe('a MASTER that keeps dropping another router\'s adverts is no all-clear', () => {
  for (const [sample, drop] of [['vrrpv3-unicast', 'invalid-checksum'], ['ah-auth', 'ah-rejected'], ['unicast-check-src', 'not-unicast-peer']] as const) {
    it(`samples/${sample}/gw-b/syslog.rfc3339 alone: a critical split brain seen by ${drop} drops, exit 1`, async () => {
      const r = await analyze([path.join(ROOT, 'samples', sample, 'gw-b', 'syslog.rfc3339')], { tz: 'UTC' });
      const [s] = findingsOf(r.findings, 'split-brain');
      expect(s.severity).toBe('critical');
      expect(s.seenBy).toMatchObject({ by: 'dropped-adverts', host: 'gw-b', drop });
      expect(exitStatus(r)).toBe(1);
    });
  }
});
