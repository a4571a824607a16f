import { describe, expect, it } from 'vitest';
import { splitBrains } from '../../src/correlate/findings/split-brain.js';
import type { Topology } from '../../src/correlate/topology.js';
import { vipClaims } from '../../src/correlate/vip-claim.js';
import type { TimelineEntry, Transition } from '../../src/model/report.js';
import { ka, SEC, T0 } from '../correlate/fixtures.js';
import { findingInputs } from '../correlate/findings/inputs.js';

// A flapping pair logs thousands of transitions. Three finishing steps compared them pair by pair (each MASTER band's
// end searched the whole transition list, each band filtered the whole timeline, each pair of MASTER spans was
// compared): 30,000 flapping lines took 1.4 s where the reading took 0.4. Each now looks among its own; these tests
// hold the results to what the plain pairwise definitions give.

describe('vip claims with a flapping host: each band ends at its own next state, whatever the list order', () => {
  const topo = {
    routers: new Map([['gw-a', { macs: new Map([['02:00:00:00:00:0a', {}]]), instances: [{ name: 'VI_1', vrid: 7, vips: ['192.0.2.254/24'] }] }]]),
    macOwnerOf: () => undefined,
  } as unknown as Topology;
  const tr = (sec: number, to: string, host = 'gw-a', instance = 'VI_1'): Transition => ({ at: T0 + BigInt(sec) * SEC, host, instance, from: null, to, file: `${host}.log`, line: sec + 1 });
  // gw-a MASTER for 10 s of every 20 (and gw-c, another host, in step with it: its transitions must not end gw-a's bands)
  const flaps = Array.from({ length: 400 }, (_, i) => [tr(i * 20, 'MASTER'), tr(i * 20 + 10, 'BACKUP'), tr(i * 20 + 5, 'BACKUP', 'gw-c')]).flat();
  const stops = [{ host: 'gw-a', at: T0 + 7985n * SEC }];
  // a foreign MAC announcing the VIP 3 s into some MASTER spans, and 3 s into some BACKUP spans
  const garp = (sec: number): TimelineEntry => ({ at: T0 + BigInt(sec) * SEC, host: 'gw-a', source: 'capture', kind: 'gratuitous-arp', address: '192.0.2.254', mac: '02:00:00:00:00:0b', file: 'a.pcap', locator: `frame ${sec}` });
  const timeline = [3, 13, 403, 413, 7983].map(garp);

  /** the claims' spans by the pairwise definition: a band [MASTER, its host's next other state or stop) */
  function expected(transitions: Transition[]): [bigint, bigint | null][] {
    const out: [bigint, bigint | null][] = [];
    for (const t of transitions) {
      if (t.to !== 'MASTER') continue;
      const next = transitions.find((n) => n.host === t.host && n.instance === t.instance && n.at > t.at && n.to !== 'MASTER')?.at;
      const stop = stops.find((s) => s.host === t.host && s.at > t.at)?.at;
      const until = next === undefined ? stop ?? null : stop === undefined ? next : next < stop ? next : stop;
      if (timeline.some((e) => e.at > t.at + SEC && (until === null || e.at < until - SEC))) out.push([t.at, until]);
    }
    return out;
  }
  const spans = (transitions: Transition[]) => vipClaims({ transitions, stops, timeline, topo, senders: [], built: [] }).map((c) => [c.contradiction.vipClaim!.masterSince, c.contradiction.vipClaim!.leftMasterAt]);

  it('in time order (as the log detector lists them): the spans at 0, 400 and 7980 s', () => {
    expect(spans(flaps)).toEqual(expected(flaps));
    expect(spans(flaps).map(([s]) => (s! - T0) / SEC)).toEqual([0n, 400n, 7980n]);
    // the last span is ended by keepalived's stop, before its BACKUP line
    expect(spans(flaps).at(-1)![1]).toBe(T0 + 7985n * SEC);
  });

  it('out of time order (a list merged from two hosts\' rotated logs): the same first-later-in-list rule', () => {
    const shuffled = [...flaps.slice(600), ...flaps.slice(0, 600)];
    expect(spans(shuffled)).toEqual(expected(shuffled));
  });
});

describe('split brains in a flapping pair: every overlap of three seconds or more, none missed by the early stop', () => {
  it('600 alternating spans, two of them overlapping by 5 s, and a third host MASTER for 600 s among them: three splits', async () => {
    const logs = [];
    for (let i = 0; i < 600; i++) {
      const host = i % 2 ? 'gw-b' : 'gw-a';
      const other = i % 2 ? 'gw-a' : 'gw-b';
      // each host MASTER for 10 s, the other leaving as it enters — except at spans 100 and 400, where it stays 5 s more
      logs.push(ka(i * 10, host, '(VI_1) Entering MASTER STATE'));
      if (i > 0) logs.push(ka(i * 10 + (i === 100 || i === 400 ? 5 : 0), other, '(VI_1) Entering BACKUP STATE'));
    }
    // gw-c MASTER from 2000 to 2600 s: every span of the pair that starts in it overlaps it, however late it starts
    logs.push(ka(2000, 'gw-c', '(VI_1) Entering MASTER STATE'), ka(2600, 'gw-c', '(VI_1) Entering BACKUP STATE'));
    logs.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    const x = await findingInputs({ logs });
    const splits = splitBrains(x, [], new Map(), new Map());
    expect(splits.map((s) => [(s.start - T0) / SEC, s.end === null ? null : (s.end - T0) / SEC, s.hosts])).toEqual([
      [1000n, 1005n, ['gw-a', 'gw-b']],
      [2000n, 2600n, ['gw-a', 'gw-b', 'gw-c']],
      [4000n, 4005n, ['gw-a', 'gw-b']],
    ]);
  });
});
