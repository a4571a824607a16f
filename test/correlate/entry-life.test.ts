import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryLife } from '../../src/correlate/entry-life.js';
import { toRfc3339 } from '../../src/model/instant.js';
import { ConntrackHistory } from '../../src/sources/conntrack/history.js';
import type { FlowHistory } from '../../src/model/conntrack.js';
import { readConntrack } from '../../src/sources/conntrack/reader.js';
import { ROOT } from '../helpers/capture.js';
import { drain } from '../helpers/drain.js';

const SEC = 1_000_000_000n;
const S = (rel: string) => path.join(ROOT, 'samples', rel);
const at = (ns: bigint | null | undefined) => (ns === null || ns === undefined ? null : toRfc3339(ns, 3));

async function translatedFlow(dir: string, files: string[]): Promise<FlowHistory> {
  const h = new ConntrackHistory();
  for (const f of files) (await drain(readConntrack(S(`${dir}/${f}`)))).items.forEach((e) => h.add(e));
  return h.flows().find((f) => f.protoNum === 112 && f.nat.kind === 'snat')!;
}

/** A flow with the sightings given (timeout left, packets, at s), as snapshots of one entry. */
function crafted(sightings: { at: number; timeout: number; packets?: number }[], extra: Partial<FlowHistory> = {}): FlowHistory {
  const recent = sightings.map((s, i) => ({ file: `nf_conntrack.${i}`, line: 1, at: BigInt(s.at) * SEC, timeout: s.timeout, ...(s.packets !== undefined ? { packets: s.packets } : {}) }));
  return {
    key: 'k', protoNum: 112, protoName: 'unknown', orig: { src: '198.51.100.175', dst: '224.0.0.18' }, reply: { src: '224.0.0.18', dst: '203.0.113.1' },
    nat: { kind: 'snat', translatedSource: '203.0.113.1' }, first: recent[0], last: recent.at(-1)!, sightings: recent.length, recent, timeoutS: 600, ...extra,
  };
}
const ctx = { lastAdvert: null, stoppedAt: null, end: null, untracked: false };

describe('entryLife', () => {
  it('samples/idle-after-fix: NOTRACK without deletion — packets frozen at 3, timeout falling: idle since the last translated advert, expires 600 s later', async () => {
    const files = ['conntrack-events.log', ...['1796164429', '1796164432', '1796164435', '1796164438', '1796164442'].flatMap((t) => [`conntrack-L.${t}`, `nf_conntrack.${t}`])];
    const flow = await translatedFlow('idle-after-fix/gw-a', files);
    const lastAdvert = 1796164429303957000n; // 22:33:49.303957, the last translated advert on gw-a's capture
    const life = entryLife(flow, { ...ctx, lastAdvert, end: 1796164443138725000n, untracked: true });
    expect(life).toMatchObject({ state: 'idle', refreshedFrom: 'frozen-counter', why: 'untracked', timeoutS: 600 });
    expect(at(life.refreshedUntil)).toBe('2026-12-01T22:33:49.303Z');
    expect(at(life.expiresAt)).toBe('2026-12-01T22:43:49.303Z');
    expect(new Set(life.snapshots!.map((s) => s.packets))).toEqual(new Set([3]));
    expect([...new Set(life.snapshots!.map((s) => s.timeout))]).toEqual([596, 593, 590, 587]);
  });

  it('samples/v3-half-fixed: gw-a still advertising at the end of the evidence — refreshed, no expiry', async () => {
    const flow = await translatedFlow('v3-half-fixed/gw-a', ['conntrack-events.log', 'conntrack-L.1796164460', 'conntrack-L.1796164468']);
    const life = entryLife(flow, { ...ctx, lastAdvert: 1796164468659428000n, end: 1796164468659471000n });
    expect(life.state).toBe('refreshed');
    expect(life.expiresAt).toBeUndefined();
  });

  it('a router that stopped after its last advert leaves its entry idle, even when the evidence ends a second later', () => {
    const flow = crafted([{ at: 100, timeout: 599 }]);
    const life = entryLife(flow, { ...ctx, lastAdvert: 105n * SEC, stoppedAt: 105n * SEC + 1n, end: 106n * SEC });
    expect(life).toMatchObject({ state: 'idle', why: 'router-stopped', refreshedUntil: 105n * SEC, expiresAt: 705n * SEC });
  });

  it('snapshots each refreshed (timeout near full, counter growing) are no idle series', () => {
    const flow = crafted([{ at: 100, timeout: 599, packets: 10 }, { at: 103, timeout: 599, packets: 13 }, { at: 106, timeout: 600, packets: 16 }]);
    expect(entryLife(flow, ctx).state).toBe('refreshed');
  });

  it('without counters, a timeout falling by the time between dumps is idle; one falling less is not', () => {
    expect(entryLife(crafted([{ at: 100, timeout: 590 }, { at: 110, timeout: 580 }]), ctx)).toMatchObject({ state: 'idle', refreshedUntil: 90n * SEC, expiresAt: 690n * SEC, why: 'router-silent' });
    expect(entryLife(crafted([{ at: 100, timeout: 590 }, { at: 110, timeout: 599 }]), ctx).state).toBe('refreshed');
  });

  it('a destroyed entry has ended', () => {
    const flow = crafted([{ at: 100, timeout: 599 }], { destroyed: { file: 'ev', line: 9, at: 120n * SEC, byUser: 'conntrack' } });
    expect(entryLife(flow, ctx)).toMatchObject({ state: 'ended', refreshedUntil: 120n * SEC, refreshedFrom: 'destroyed' });
  });
});
