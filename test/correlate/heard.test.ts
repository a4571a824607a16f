import { describe, expect, it } from 'vitest';
import { lastYielded, previousTransitions } from '../../src/correlate/heard.js';
import { Topology } from '../../src/correlate/topology.js';
import type { Transition } from '../../src/model/report.js';

const SEC = 1_000_000_000n;
const tr = (sec: number, host: string, to: string, over: Partial<Transition> = {}): Transition => ({ at: BigInt(sec) * SEC, host, instance: 'VI_1', from: null, to, file: `${host}.log`, line: sec, ...over });

describe('previousTransitions: each transition\'s previous one of its host and instance', () => {
  const list = [tr(1, 'gw-b', 'BACKUP'), tr(2, 'gw-a', 'MASTER'), tr(5, 'gw-b', 'MASTER'), tr(6, 'gw-b', 'BACKUP', { instance: 'VI_2' }), tr(9, 'gw-b', 'BACKUP')];

  it('in time order: the latest earlier one, other hosts and instances apart', () => {
    const p = previousTransitions(list);
    expect(list.map((t) => p.get(t)?.line ?? null)).toEqual([null, null, 1, null, 5]);
  });

  it('out of time order: the last earlier one in the list\'s order, as a search of the list gives', () => {
    const shuffled = [list[4], list[2], list[0], list[1], list[3]];
    const p = previousTransitions(shuffled);
    for (const t of shuffled) {
      const searched = shuffled.filter((o) => o.host === t.host && o.instance === t.instance && o.at < t.at).at(-1);
      expect(p.get(t), `line ${t.line}`).toBe(searched);
    }
  });

  it('equal times are not "before"', () => {
    const a = tr(3, 'gw-b', 'BACKUP');
    const b = tr(3, 'gw-b', 'MASTER');
    expect(previousTransitions([a, b]).get(b)).toBeUndefined();
  });
});

describe('lastYielded: the master a host\'s log last yielded to', () => {
  const topo = new Topology();
  const master = tr(10, 'gw-b', 'MASTER', { from: 'BACKUP', reason: { kind: 'advert-timeout' } });

  it('BACKUP on a higher priority: that peer, with the line that named it', () => {
    const ev = { file: 'gw-b.log', locator: 'line 4', at: 4n * SEC, text: 'Master received advert from 198.51.100.175 with higher priority 150, ours 100' };
    const before = tr(4, 'gw-b', 'BACKUP', { reason: { kind: 'higher-priority', peer: { address: '198.51.100.175' } }, reasonEvidence: [ev] });
    expect(lastYielded(master, before, topo)).toEqual({ src: '198.51.100.175', at: 4n * SEC, file: 'gw-b.log', line: 4, evidence: ev });
  });

  it('a tie-break lost counts, one won does not; nor a BACKUP with no named peer, nor a previous MASTER', () => {
    expect(lastYielded(master, tr(4, 'gw-b', 'BACKUP', { reason: { kind: 'tie-break', outcome: 'lost', peer: { address: '198.51.100.175' } } }), topo)?.src).toBe('198.51.100.175');
    expect(lastYielded(master, tr(4, 'gw-b', 'BACKUP', { reason: { kind: 'tie-break', outcome: 'won', peer: { address: '198.51.100.175' } } }), topo)).toBeUndefined();
    expect(lastYielded(master, tr(4, 'gw-b', 'BACKUP'), topo)).toBeUndefined();
    expect(lastYielded(master, tr(4, 'gw-b', 'MASTER', { reason: { kind: 'higher-priority', peer: { address: '198.51.100.175' } } }), topo)).toBeUndefined();
    expect(lastYielded(master, undefined, topo)).toBeUndefined();
  });
});
