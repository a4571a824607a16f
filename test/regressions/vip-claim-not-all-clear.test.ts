import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { exitStatus } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// samples/conntrack-full with gw-a's folder alone read as an all-clear ("No VRRP source translation, split brain or
// storm found", exit 0, "Split brain: none"), though gw-a's capture shows gw-b announcing the virtual address ten times
// while gw-a's keepalived was MASTER: the split brain one host's evidence can show. It is a contradiction now
// (vip-claimed-while-master), and the exit status 1.
describe('another station announcing the VIP while a host is MASTER is no all-clear', () => {
  it('samples/conntrack-full/gw-a: a contradiction above info, exit 1', async () => {
    const r = await analyze([path.join(ROOT, 'samples', 'conntrack-full', 'gw-a')], { tz: 'UTC' });
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.kind === 'contradiction' && f.contradiction.claim)).toEqual(['vip-claimed-while-master']);
    expect(exitStatus(r)).toBe(1);
  });
});
