import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { conntrackTranslations } from '../../../src/correlate/findings/translation-conntrack.js';
import { T0 } from '../fixtures.js';
import { findingInputs, S, snapshot } from './inputs.js';

const at = (s: number) => T0 + BigInt(Math.round(s * 1e9));

describe('conntrackTranslations', () => {
  it('a VRRP entry whose reply names a third address proves the translation alone; with the ruleset, on the SNAT rule too', async () => {
    const x = await findingInputs({
      conntrack: [{ file: 'seed-snat/gw-a/conntrack-events.log', host: 'gw-a' }], rules: [snapshot('seed-snat/gw-a/iptables-save.1-naive-snat', at(136))],
    });
    const [f, ...rest] = conntrackTranslations(x, []);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'vrrp-source-translated', router: 'gw-a', vrid: null, originalSource: '198.51.100.175', translatedSource: '203.0.113.1', confidence: 'proven',
      basis: ['conntrack-entry', 'snat-rule'], election: 'not-seen', revertedAt: at(156.414713), sighting: { by: 'conntrack', protocol: 112, dst: '224.0.0.18' },
    });
    expect(f.adverts).toBeUndefined();
    // each life of the flow cited by its birth line, as read, with its role
    expect(f.evidence.map((e) => [e.locator, e.role])).toEqual([['line 3', { kind: 'conntrack-entry' }]]);
    // the line as read (the loader gives each flow its birth line's text; these inputs carry none)
    expect(f.evidence[0].text).toBe('');
    const line = readFileSync(S('seed-snat/gw-a/conntrack-events.log'), 'utf8').split('\n')[2];
    for (const l of x.flows) l.text = line;
    expect(conntrackTranslations(x, [])[0].evidence[0]).toMatchObject({ text: line, role: { kind: 'conntrack-entry' } });
    expect(f.remedy!.steps.at(-1)!.commands).toEqual([{ command: 'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18' }]);
  });

  it('a translation a capture already showed is not found twice', async () => {
    const x = await findingInputs({ conntrack: [{ file: 'seed-snat/gw-a/conntrack-events.log', host: 'gw-a' }] });
    const [seen] = conntrackTranslations(x, []);
    expect(conntrackTranslations(x, [seen])).toEqual([]);
  });
});
