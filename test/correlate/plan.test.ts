import { describe, expect, it } from 'vitest';
import { planInputs } from '../../src/correlate/plan.js';
import { ROOT } from '../helpers/capture.js';

describe('planInputs', () => {
  it('sniffs every file of a sample by content, names hosts from syslog and the evidence beside it', async () => {
    process.chdir(ROOT);
    const plan = await planInputs(['samples/intermittent'], { hostFlags: [] });
    const by = (suffix: string) => plan.find((p) => p.path.endsWith(suffix))!;
    expect(by('gw-b/lan0.pcapng')).toMatchObject({ kind: 'capture', format: 'pcapng', host: 'gw-b', hostFrom: 'neighbour' });
    expect(by('gw-a/syslog.rfc3339')).toMatchObject({ kind: 'syslog', host: 'gw-a', hostFrom: 'syslog' });
    // both framings of one log are read (merged line by line when analysed), neither skipped
    expect(by('gw-a/syslog')).toMatchObject({ kind: 'syslog', host: 'gw-a', hostFrom: 'syslog' });
    expect(by('gw-a/syslog').skip).toBeUndefined();
    expect(by('gw-a/iptables-save.2-reload-without-exemption')).toMatchObject({ kind: 'firewall', host: 'gw-a' });
    expect(by('gw-a/conntrack-L.1795587740')).toMatchObject({ kind: 'conntrack' });
    expect(by('README.md').skip).toEqual({ kind: 'not-evidence', reason: expect.any(String) });
    expect(by('gw-b/lan0.pcapng').firstPacket).toBeGreaterThan(1795587700n * 1_000_000_000n);
  });

  it('--host wins over everything else; standard input is refused with a usage error', async () => {
    process.chdir(ROOT);
    const plan = await planInputs(['samples/seed-snat/gw-b'], { hostFlags: [['samples/seed-snat/gw-b/', 'peer']] });
    expect(plan.filter((p) => !p.skip).every((p) => p.host === 'peer' && p.hostFrom === 'flag')).toBe(true);
    await expect(planInputs(['-'], { hostFlags: [] })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
