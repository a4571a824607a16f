import { describe, expect, it } from 'vitest';
import { AnnounceRuns } from '../../../src/correlate/load/announce-runs.js';
import type { Item } from '../../../src/correlate/load/context.js';
import { TimelineCollector } from '../../../src/correlate/timeline.js';
import { Topology } from '../../../src/correlate/topology.js';
import { ANNOUNCES_LISTED, WireDetector } from '../../../src/correlate/wire.js';
import type { CaptureRecord, GarpRecord } from '../../../src/model/records.js';
import { advert, SEC, T0 } from '../fixtures.js';

let frame = 0;
/** A gratuitous ARP as the capture reader gives it. */
function garp(at: bigint, mac: string, address = '198.51.100.254'): GarpRecord {
  return {
    kind: 'garp', file: 'crafted.pcap', frame: ++frame, offset: 0, time: at, precision: 6, interface: { id: 0, section: 0, linkType: 1 },
    caplen: 42, origlen: 42, srcMac: mac, op: 1, senderMac: mac, address,
  };
}

/**
 * A storm as keepalived's split brain makes one: each of two senders' adverts followed by five gratuitous ARPs,
 * thousands of times a second — past ANNOUNCES_LISTED, with a silence longer than the run gap, a GARP older than
 * what came before it, and another address in the middle.
 */
function storm(): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  let t = T0;
  const step = 150_000n;
  for (let k = 0; k < 6000; k++) {
    const mac = k % 2 ? '52:54:00:00:a0:01' : '52:54:00:00:b0:01';
    out.push(advert(0, k % 2 ? '192.0.2.1' : '198.51.100.176', { time: t, srcMac: mac }));
    for (let j = 0; j < 5; j++) out.push(garp((t += step), mac));
    if (k === 5000) t += 4n * SEC; // silent longer than the run gap: a new timeline entry
    if (k === 5100) out.push(garp(t - (7n * SEC) / 2n, mac)); // older than the newest: an item of its own, never joined
    if (k === 5200) out.push(garp(t, mac, '198.51.100.253'));
    t += step;
  }
  return out;
}

/** The wire detector fed the records one by one, or through the lane's runs in batches of `size`. */
function detect(records: CaptureRecord[], size: number | null) {
  const timeline = new TimelineCollector();
  const wire = new WireDetector(new Topology(), timeline);
  const runs = new AnnounceRuns();
  let items = 0;
  for (let i = 0; i < records.length; i += size ?? records.length) {
    const batch: Item[] = [];
    runs.batch();
    for (const rec of records.slice(i, i + (size ?? records.length))) {
      if (size !== null && runs.join(rec, rec.time!)) continue;
      const item: Item = { at: rec.time!, host: 'gw-b', rec };
      batch.push(item);
      runs.added(item);
    }
    items += batch.length;
    for (const it of batch) {
      if (it.rec!.kind === 'vrrp') wire.advert(it.rec!, it.at, it.host);
      else wire.garp(it.rec as GarpRecord, it.at, it.host);
    }
  }
  wire.finish();
  return { items, entries: timeline.entries, garps: wire.garps };
}

describe('AnnounceRuns', () => {
  it('a storm of identical gratuitous ARPs: far fewer items, the same timeline and the same first GARPs listed', () => {
    const records = storm();
    const one = detect(records, null);
    const runs = detect(records, 1000);
    expect(runs.items).toBeLessThan(one.items / 2);
    expect(runs.entries).toEqual(one.entries);
    expect(runs.garps).toEqual(one.garps);
    expect(one.garps).toHaveLength(ANNOUNCES_LISTED);
    // per MAC, the silence began a new entry; so did the other address, and the GARP after the old one (3.5 s later)
    const garpEntries = one.entries.filter((e) => e.kind === 'gratuitous-arp');
    expect(garpEntries.length).toBe(6);
    expect(garpEntries.reduce((n, e) => n + (e.repeat ?? 1), 0)).toBe(records.filter((r) => r.kind === 'garp').length);
  });

  it('joins nothing before ANNOUNCES_LISTED announcements went one by one, nor across batches, nor another MAC', () => {
    const runs = new AnnounceRuns();
    const take = (rec: CaptureRecord): boolean => {
      if (runs.join(rec, rec.time!)) return true;
      runs.added({ at: rec.time!, host: null, rec });
      return false;
    };
    let t = T0;
    for (let k = 0; k < ANNOUNCES_LISTED; k++) expect(take(garp((t += 1000n), 'aa:aa:aa:aa:aa:aa'))).toBe(false);
    expect(take(garp((t += 1000n), 'aa:aa:aa:aa:aa:aa'))).toBe(true);
    expect(take(garp((t += 1000n), 'bb:bb:bb:bb:bb:bb'))).toBe(false);
    runs.batch();
    expect(take(garp((t += 1000n), 'aa:aa:aa:aa:aa:aa'))).toBe(false);
    expect(take(garp((t += 1000n), 'aa:aa:aa:aa:aa:aa'))).toBe(true);
    // an advert never joins anything
    expect(runs.join(advert(0, '192.0.2.1', { time: (t += 1000n) }), t)).toBe(false);
  });

  it('leaves the reader\'s record as it was: the run is carried by a copy', () => {
    const runs = new AnnounceRuns();
    let t = T0;
    let head: Item | undefined;
    for (let k = 0; k < ANNOUNCES_LISTED; k++) {
      const rec = garp((t += 1000n), 'aa:aa:aa:aa:aa:aa');
      expect(runs.join(rec, rec.time!)).toBe(false);
      head = { at: rec.time!, host: null, rec };
      runs.added(head);
    }
    const read = head!.rec as GarpRecord;
    expect(runs.join(garp((t += 1000n), 'aa:aa:aa:aa:aa:aa'), t)).toBe(true);
    expect(read.run).toBeUndefined();
    expect((head!.rec as GarpRecord).run).toEqual({ count: 2, until: t });
    expect({ ...(head!.rec as GarpRecord), run: undefined }).toEqual(read);
  });
});
