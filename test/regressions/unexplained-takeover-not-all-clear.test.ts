import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { exitStatus } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// samples/link-down with gw-b's folder alone (what a user has when only the backup was collected) read as an
// all-clear: "No VRRP source translation, split brain or storm found", two "ordinary master changes", exit 0 — though
// gw-b's capture shows gw-a's adverts stopping without a priority-0 advert and gw-b taking MASTER on the timeout 3.6 s
// later. That unplanned failover is a finding now (unexplained-takeover, warning), and the exit status 1.
describe('an unplanned failover seen from the backup alone is no all-clear', () => {
  it('samples/link-down/gw-b: an unexplained-takeover finding above info, exit 1', async () => {
    const r = await analyze([path.join(ROOT, 'samples', 'link-down', 'gw-b')], { tz: 'UTC' });
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.kind)).toEqual(['unexplained-takeover']);
    expect(exitStatus(r)).toBe(1);
  });

  it('samples/link-down/gw-b/syslog.rfc3339 alone (no capture): the master it had yielded to, by its own log; exit 1', async () => {
    const r = await analyze([path.join(ROOT, 'samples', 'link-down', 'gw-b', 'syslog.rfc3339')], { tz: 'UTC' });
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.kind)).toEqual(['unexplained-takeover']);
    expect(exitStatus(r)).toBe(1);
  });
});
