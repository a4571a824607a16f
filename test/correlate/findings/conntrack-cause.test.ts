import { describe, expect, it } from 'vitest';
import { conntrackCause } from '../../../src/correlate/findings/conntrack-cause.js';
import { T0 } from '../fixtures.js';
import { findingInputs, snapshot } from './inputs.js';

// seed-snat: gw-a's entry born 05:55:41.743090 with the first translated advert, under the naive SNAT rule; the
// exemption (05:55:48) and NOTRACK (05:55:56) came while it existed; `conntrack -D` ended it at 05:55:56.414713
const at = (s: number) => T0 + BigInt(Math.round(s * 1e9));
const rules = [snapshot('seed-snat/gw-a/iptables-save.1-naive-snat', at(136)), snapshot('seed-snat/gw-a/iptables-save.2-vrrp-exempt', at(148)), snapshot('seed-snat/gw-a/iptables-save.3-notrack', at(156))];

describe('conntrackCause', () => {
  it('the entry, its birth with the first advert, the rule in force, and what each later ruleset did — as facts', async () => {
    const x = await findingInputs({ conntrack: [{ file: 'seed-snat/gw-a/conntrack-events.log', host: 'gw-a' }], rules });
    const c = conntrackCause(x, '198.51.100.175', '203.0.113.1', 'gw-a', at(141.743095), at(155.745791))!;
    expect(c).toMatchObject({ line: 3, createdAtFrom: 'event', relation: 'born-with-first-advert', relationPrecision: 'exact', destroyed: { line: 4 } });
    expect(c.rule).toMatchObject({ decision: 'translated', text: '-A POSTROUTING -j SNAT --to-source 203.0.113.1' });
    // both later rulesets came while the entry existed: nat rules are consulted only for a new entry
    expect(c.ruleChanges!.map((r) => [r.decision, r.effect])).toEqual([
      ['exempt', { kind: 'too-late', untracked: false, ruleLine: expect.any(Number), until: at(155.745791) }],
      ['untracked', { kind: 'from-here', ruleLine: expect.any(Number) }],
    ]);
    expect(c.persistence).toMatchObject({ kind: 'reader', stale: { kind: 'never-expires', src: '198.51.100.175', timeoutS: 600, translatedSource: '203.0.113.1' } });
  });

  it('no entry of that flow: null (the finding says so rather than guessing)', async () => {
    const x = await findingInputs({ conntrack: [{ file: 'seed-snat/gw-a/conntrack-events.log', host: 'gw-a' }] });
    expect(conntrackCause(x, '198.51.100.175', '192.0.2.99', 'gw-a', at(141), at(150))).toBeNull();
  });

  it('an entry refreshed by every advert, no reader account: `refreshed` with its timeout', async () => {
    const x = await findingInputs({ conntrack: [{ file: 'seed-snat/gw-a/conntrack-events.log', host: 'gw-a' }] });
    const flow = x.flows.find((f) => f.protoNum === 112 && f.nat.translatedSource === '203.0.113.1')!;
    delete flow.staleness;
    expect(conntrackCause(x, '198.51.100.175', '203.0.113.1', 'gw-a', at(141.75), at(150))!.persistence).toEqual({ kind: 'refreshed', timeoutS: 600 });
  });
});
