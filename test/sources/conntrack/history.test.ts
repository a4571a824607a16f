import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRfc3339 } from '../../../src/model/instant.js';
import { ConntrackHistory } from '../../../src/sources/conntrack/history.js';
import { readConntrack } from '../../../src/sources/conntrack/reader.js';
import { drain } from '../../helpers/drain.js';
import { ROOT } from '../../helpers/capture.js';

const GW_A = path.join(ROOT, 'samples/seed-snat/gw-a');

async function history(files: string[]) {
  const h = new ConntrackHistory();
  for (const f of files) {
    (await drain(readConntrack(path.join(GW_A, f)))).items.forEach((e) => h.add(e));
  }
  return h.flows();
}

const snat = (flows: Awaited<ReturnType<typeof history>>) => flows.filter((f) => f.protoNum === 112 && f.nat.kind === 'snat');

describe('flow histories from samples/seed-snat/gw-a (recorded)', () => {
  const snapshots = ['conntrack-L.1795586148', 'conntrack-L.1795586156', 'conntrack-L.1795586164', 'nf_conntrack.1795586148', 'nf_conntrack.1795586156', 'nf_conntrack.1795586164'];

  it('every dump and event of the poisoned entry is one life, born with the first translated advert ([NEW])', async () => {
    // files in an order that is not time order: the history sorts by time
    const flows = await history([...snapshots.slice(3).reverse(), 'conntrack-events.log', ...snapshots.slice(0, 3)]);
    const poisoned = snat(flows);
    expect(poisoned).toHaveLength(1);
    const f = poisoned[0];
    expect([f.nat.translatedSource, f.orig.src, f.orig.dst]).toEqual(['203.0.113.1', '198.51.100.175', '224.0.0.18']);
    expect([toRfc3339(f.born!.at), f.born!.from, f.born!.file.endsWith('conntrack-events.log'), f.born!.line]).toEqual(['2026-11-25T05:55:41.743090000Z', 'event', true, 3]);
    expect(f.destroyed).toMatchObject({ line: 4, byUser: 'portid 2786154754' });
    expect(toRfc3339(f.destroyed!.at!)).toBe('2026-11-25T05:55:56.414713000Z');
    expect(f.recent.filter((s) => s.packets !== undefined).map((s) => s.packets)).toEqual([7, 7, 15, 15, 15]);
    expect(f.staleness).toEqual({ kind: 'never-expires', src: '198.51.100.175', to: 'group', timeoutS: 600, translatedSource: '203.0.113.1', ended: { file: f.destroyed!.file, line: 4, byUser: true } });
  });

  it('without the event log, -o ktimestamp gives the birth second; without that, delta-time and the dump time', async () => {
    const k = snat(await history(snapshots))[0];
    expect([toRfc3339(k.born!.at, 0), k.born!.from]).toEqual(['2026-11-25T05:55:41Z', 'ktimestamp']);
    const d = snat(await history(snapshots.filter((f) => f.startsWith('nf_'))))[0];
    // dump at 05:55:48 (the file's own date line) − delta-time: born in (05:55:41, 05:55:42]
    expect([toRfc3339(d.born!.at, 0), toRfc3339(d.born!.earliest!, 0), d.born!.from]).toEqual(['2026-11-25T05:55:42Z', '2026-11-25T05:55:41Z', 'delta-time']);
    expect(d.staleness).toMatchObject({ kind: 'never-expires', src: '198.51.100.175', translatedSource: '203.0.113.1' });
    // last packet from the last dump that still had it: 05:55:56 − (600 − 599) s
    expect(toRfc3339(d.lastRefresh!.at, 0)).toBe('2026-11-25T05:55:55Z');
  });

  it('the healthy peer entry (no NAT) is never flagged stale', async () => {
    const peer = (await history(['conntrack-events.log', ...snapshots])).find((f) => f.orig.src === '198.51.100.176')!;
    expect([peer.nat.kind, peer.staleness]).toEqual(['none', undefined]);
  });
});

describe('flow histories from samples/expiry/gw-a (recorded: an entry that timed out)', () => {
  const read = async (files: string[]) => {
    const h = new ConntrackHistory();
    for (const f of files) (await drain(readConntrack(path.join(ROOT, 'samples/expiry/gw-a', f)))).items.forEach((e) => h.add(e));
    return h.flows().filter((f) => f.protoNum === 112 && f.orig.src === '198.51.100.175');
  };

  it('a [DESTROY] that arrives seconds after the expiry (delta-time 8 s, event 12.6 s after the birth) ends the open life', async () => {
    for (const files of [['conntrack-events.log'], ['conntrack-events.log', 'nf_conntrack.1795602869', 'nf_conntrack.1795602878']]) {
      const [first, second] = await read(files);
      expect([first.born?.line, first.destroyed?.line, first.destroyed?.byUser, first.nat.translatedSource]).toEqual([3, 7, undefined, '203.0.113.1']);
      expect([second.born?.line, second.nat.kind]).toEqual([11, 'none']);
    }
  });

  it('the generic timeout is read from the [NEW] event (5 s on this host), and the expiry is told as such', async () => {
    const [first] = await read(['conntrack-events.log']);
    expect(first.timeoutS).toBe(5);
    expect(first.staleness).toEqual({ kind: 'expired', src: '198.51.100.175', timeoutS: 5, destroyed: { file: first.destroyed!.file, line: 7 } });
  });
});
