import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { birthCause, rulesetShift, type HostFlow } from '../../src/correlate/birth-cause.js';
import type { RuleSnapshot } from '../../src/correlate/findings.js';
import { parseRuleset } from '../../src/sources/config/firewall.js';
import { ConntrackHistory } from '../../src/sources/conntrack/history.js';
import { readConntrack } from '../../src/sources/conntrack/reader.js';
import { ROOT } from '../helpers/capture.js';
import { drain } from '../helpers/drain.js';

const SEC = 1_000_000_000n;
const S = (rel: string) => path.join(ROOT, 'samples', rel);

async function hostFlows(file: string, host: string): Promise<HostFlow[]> {
  const h = new ConntrackHistory();
  (await drain(readConntrack(S(file)))).items.forEach((e) => h.add(e));
  return h.flows().map((f) => ({ ...f, host }));
}
const snapshot = (rel: string, at: bigint): RuleSnapshot => ({ host: 'gw-a', file: rel, at, rules: parseRuleset(readFileSync(S(rel), 'utf8'))! });

describe('birthCause', () => {
  it('samples/reload-race: the untranslated entry deleted by the reload\'s flush 0.35 s before the translated one was born', async () => {
    const flows = await hostFlows('reload-race/gw-a/conntrack-events.log', 'gw-a');
    const t = flows.find((f) => f.protoNum === 112 && f.nat.kind === 'snat')!;
    const c = birthCause(flows, { host: 'gw-a', protoNum: 112, src: t.orig.src, dst: t.orig.dst, at: t.born!.at });
    expect(c).toMatchObject({ kind: 'user-deletion', previousReplyDst: '198.51.100.175', sameCommand: 2, destroyed: { line: 4, at: 1796164402872935000n, byUser: 'portid 22129' } });
    expect(Number(c!.gapNs) / 1e9).toBeCloseTo(0.352, 3);
  });

  it('samples/conntrack-full: a deletion with no translated entry after it is no birth cause of anything', async () => {
    const flows = await hostFlows('conntrack-full/gw-b/conntrack-events.log', 'gw-b');
    expect(flows.filter((f) => f.nat.kind !== 'none' && f.protoNum === 112)).toEqual([]);
  });

  it('an expiry just before the birth is the cause; one long before, another host\'s, or a translated predecessor is not', () => {
    const base = { key: 'k', protoNum: 112, protoName: 'unknown', orig: { src: '198.51.100.175', dst: '224.0.0.18' }, first: { file: 'e', line: 1 }, last: { file: 'e', line: 2 }, sightings: 2, recent: [], timeoutS: 600 };
    const untranslated = { ...base, reply: { src: '224.0.0.18', dst: '198.51.100.175' }, nat: { kind: 'none' } as const };
    const born = { host: 'gw-a', protoNum: 112, src: '198.51.100.175', dst: '224.0.0.18', at: 100n * SEC };
    const expired: HostFlow = { ...untranslated, host: 'gw-a', destroyed: { file: 'e', line: 2, at: 98n * SEC } };
    expect(birthCause([expired], born)).toMatchObject({ kind: 'expiry', gapNs: 2n * SEC, sameCommand: 1 });
    expect(birthCause([{ ...expired, destroyed: { file: 'e', line: 2, at: 50n * SEC } }], born)).toBeNull();
    expect(birthCause([{ ...expired, host: 'gw-b' }], born)).toBeNull();
    expect(birthCause([{ ...expired, reply: { src: '224.0.0.18', dst: '203.0.113.1' }, nat: { kind: 'snat', translatedSource: '203.0.113.1' } }], born)).toBeNull();
  });
});

describe('rulesetShift', () => {
  it('samples/reload-race: in force at the birth the exemption; the next snapshot translates, the exemption removed', () => {
    const before = snapshot('reload-race/gw-a/iptables-save.1-before-reload', 1796164400n * SEC);
    const after = snapshot('reload-race/gw-a/iptables-save.2-after-reload', 1796164407n * SEC);
    const r = rulesetShift([before, after], { host: 'gw-a', protoNum: 112, src: '198.51.100.175', dst: '224.0.0.18', at: 1796164403224669000n })!;
    expect(r.inForce).toBe(before);
    expect(r.decision).toBe('exempt');
    expect(r.shift).toMatchObject({ beforeDecision: 'exempt', afterDecision: 'translated', added: [], removed: [{ table: 'nat', text: '-A POSTROUTING -p vrrp -j ACCEPT', line: 7 }] });
  });

  it('no later snapshot that decides otherwise: no shift', () => {
    const only = snapshot('reload-race/gw-a/iptables-save.2-after-reload', 1796164407n * SEC);
    expect(rulesetShift([only], { host: 'gw-a', protoNum: 112, src: '198.51.100.175', dst: '224.0.0.18', at: 1796164408n * SEC })).toMatchObject({ decision: 'translated', shift: null });
    expect(rulesetShift([], { host: 'gw-a', protoNum: 112, src: '198.51.100.175', dst: '224.0.0.18', at: 0n })).toBeNull();
  });
});
