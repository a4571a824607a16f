import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { exitStatus } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// A takeover caused by the master's link going down (samples/link-down) read as an all-clear: "No VRRP source
// translation, split brain or storm found", exit 0, though gw-a's keepalived logged "Netlink reports lan0 down" and
// FAULT and gw-b took MASTER on the advert timeout. It is a finding of its own now (link-down), and the exit status 1.
describe('a link that goes down is no all-clear', () => {
  it('samples/link-down: a link-down finding above info, exit 1', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'link-down')], { tz: 'UTC' });
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.kind)).toEqual(['link-down']);
    expect(exitStatus(r)).toBe(1);
  });
});
