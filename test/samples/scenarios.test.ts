import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../src/model/address.js';
import { toRfc3339, wallClockToEpochMs } from '../../src/model/instant.js';
import type { VrrpAdvertRecord } from '../../src/model/records.js';
import { v3ValidForSource } from '../../src/sources/capture/vrrp.js';
import { readCapture } from '../../src/sources/capture/reader.js';
import { readConntrack } from '../../src/sources/conntrack/reader.js';
import { ConntrackHistory } from '../../src/sources/conntrack/history.js';
import { readSyslog } from '../../src/sources/syslog/reader.js';
import { ROOT } from '../helpers/capture.js';
import { drain } from '../helpers/drain.js';

const S = (rel: string) => path.join(ROOT, 'samples', rel);
const adverts = async (rel: string) => {
  const { items, info } = await drain(readCapture(S(rel)));
  expect(info.error).toBeUndefined();
  return items.filter((r): r is VrrpAdvertRecord => r.kind === 'vrrp');
};
const logs = async (rel: string) => (await drain(readSyslog(S(rel), { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') }))).items;
const flows = async (...rels: string[]) => {
  const h = new ConntrackHistory();
  for (const r of rels) (await drain(readConntrack(S(r)))).items.forEach((e) => h.add(e));
  return h.flows();
};

/** The facts each sample's README states, read back from the recordings. */
describe('samples/intermittent', () => {
  it('the flip happens at the reload: first translated advert frame 23, entry born with it', async () => {
    const peer = await adverts('intermittent/gw-b/lan0.pcapng');
    const t = peer.filter((r) => r.src === '203.0.113.1');
    expect([t.length, t[0].frame, toRfc3339(t[0].time!), t.at(-1)!.frame]).toEqual([12, 23, '2026-11-25T06:22:13.290420810Z', 34]);
    expect(peer.filter((r) => r.src === '198.51.100.175' && r.time! < t[0].time!).length).toBeGreaterThan(0);
    const poisoned = (await flows('intermittent/gw-a/conntrack-events.log')).filter((f) => f.protoNum === 112 && f.nat.kind === 'snat');
    expect(poisoned.map((f) => [toRfc3339(f.born!.at, 6), f.born!.line, f.nat.translatedSource])).toEqual([['2026-11-25T06:22:13.290470Z', 7, '203.0.113.1']]);
  });

  it('then the check script: 150 → 145, gw-b discards the translated 145s and preempts', async () => {
    const a = await logs('intermittent/gw-a/syslog.rfc3339');
    expect(a.find((e) => e.type === 'priority-changed')?.fields).toMatchObject({ from: 150, to: 145 });
    const b = await logs('intermittent/gw-b/syslog.rfc3339');
    const discards = b.filter((e) => e.type === 'lower-priority-discarded');
    expect(discards.map((e) => `${e.fields.peer} ${e.fields.peerPriority}`)).toEqual(Array(3).fill('203.0.113.1 145'));
    const master = b.filter((e) => e.type === 'state' && e.fields.state === 'MASTER').at(-1)!;
    expect([toRfc3339(master.time, 6), master.line]).toEqual(['2026-11-25T06:22:24.714037Z', 36]);
  });
});

describe('samples/clean-failover (control)', () => {
  it('no advert from any address but the two routers; no conntrack entry for gw-a\'s own adverts', async () => {
    const all = await adverts('clean-failover/gw-b/lan0-ns.pcap');
    expect(new Set(all.map((r) => r.src))).toEqual(new Set(['198.51.100.175', '198.51.100.176']));
    const f = await flows('clean-failover/gw-a/conntrack-events.log', 'clean-failover/gw-a/nf_conntrack.1795587698');
    expect(f.filter((x) => x.protoNum === 112 && x.nat.kind !== 'none')).toEqual([]);
    expect(f.some((x) => x.protoNum === 112 && x.orig.src === '198.51.100.175')).toBe(false);
  });

  it('ordinary master changes on gw-b: MASTER, BACKUP, MASTER after a priority-0 resign, BACKUP', async () => {
    const b = await logs('clean-failover/gw-b/syslog.rfc3339');
    expect(b.filter((e) => e.type === 'state').map((e) => `${e.fields.state}${e.fields.init ? ' init' : ''}`)).toEqual(['BACKUP init', 'MASTER', 'BACKUP', 'MASTER', 'BACKUP']);
    expect(b.some((e) => e.type === 'priority-zero-received')).toBe(true);
  });
});

describe('samples/split-brain', () => {
  it('both senders advertise vrid 150 at once after the outage; gw-a as 192.0.2.1 from its first advert', async () => {
    const all = await adverts('split-brain/gw-b/any.pcap.gz');
    const a = all.filter((r) => r.src === '192.0.2.1');
    const b = all.filter((r) => r.src === '198.51.100.176');
    expect([a[0].frame, toRfc3339(a[0].time!), a.length > 2000, b.length > 2000]).toEqual([7, '2026-11-25T06:26:50.138251000Z', true, true]);
    expect(all[0].interface.linkType).toBe(276);
  });

  it('each master keeps forcing new elections: the tie broken by a translated address on one side', async () => {
    const b = await logs('split-brain/gw-b/syslog.rfc3339.gz');
    const forced = b.filter((e) => e.type === 'lower-priority-advert');
    expect(forced.length).toBeGreaterThan(2000);
    expect(forced[0].fields).toMatchObject({ peer: '192.0.2.1', peerPriority: 100, ownPriority: 100, forcingElection: true });
    const a = await logs('split-brain/gw-a/syslog.rfc3339.gz');
    expect(a.find((e) => e.type === 'lower-priority-advert')?.fields.peer).toBe('198.51.100.176');
    expect(a.filter((e) => e.type === 'state').map((e) => e.fields.state)).toEqual(['BACKUP', 'MASTER']);
  });

  it('the entry behind it: born with gw-a\'s first advert, SNAT to 192.0.2.1', async () => {
    const f = (await flows('split-brain/gw-a/conntrack-events.log')).find((x) => x.protoNum === 112)!;
    expect([f.orig.src, f.nat.translatedSource, toRfc3339(f.born!.at, 6), f.born!.line]).toEqual(['198.51.100.177', '192.0.2.1', '2026-11-25T06:26:50.138307Z', 2]);
  });
});

describe('samples/vrrpv3-unicast', () => {
  it('the translated v3 advert fails its checksum, which holds for the real source', async () => {
    const peer = await adverts('vrrpv3-unicast/gw-b/lan0.pcapng');
    const first = peer.find((r) => r.src === '203.0.113.1')!;
    expect([first.frame, toRfc3339(first.time!), first.version, first.dst, first.checksumStatus]).toEqual([3, '2026-11-25T06:24:00.614901396Z', 3, '198.51.100.176', 'bad']);
    expect(v3ValidForSource(first.v3PartialSum!, parseIpv4('198.51.100.175')!)).toBe(true);
    expect(v3ValidForSource(first.v3PartialSum!, parseIpv4('198.51.100.176')!)).toBe(false);
    // the peer's own adverts, untranslated, are valid
    expect(peer.filter((r) => r.src === '198.51.100.176').every((r) => r.checksumStatus === 'ok')).toBe(true);
  });

  it('gw-b logs invalid checksums and takes over; the unicast entry is SNAT-ed', async () => {
    const b = await logs('vrrpv3-unicast/gw-b/syslog.rfc3339');
    expect(b.filter((e) => e.type === 'invalid-checksum').length).toBeGreaterThanOrEqual(10);
    const master = b.find((e) => e.type === 'state' && e.fields.state === 'MASTER')!;
    expect([toRfc3339(master.time, 6), master.line]).toEqual(['2026-11-25T06:24:06.835973Z', 24]);
    const f = (await flows('vrrpv3-unicast/gw-a/conntrack-events.log')).find((x) => x.protoNum === 112)!;
    expect([f.orig.dst, f.nat.kind, f.nat.translatedSource, f.born?.from]).toEqual(['198.51.100.176', 'snat', '203.0.113.1', 'event']);
  });
});

describe('samples/nft-jump', () => {
  it('frames 7–31 of the peer capture leave as 203.0.113.1 (same MAC as gw-a), frame 32 reverts, frame 40 resigns', async () => {
    const peer = await adverts('nft-jump/gw-b/lan0.pcap');
    const translated = peer.filter((a) => a.src === '203.0.113.1');
    expect([translated.length, translated[0].frame, translated.at(-1)!.frame]).toEqual([15, 7, 31]);
    expect(toRfc3339(translated[0].time!)).toBe('2026-11-25T09:54:13.997039000Z');
    expect(new Set(translated.map((a) => a.srcMac))).toEqual(new Set(['52:54:00:00:a0:01']));
    expect(peer.find((a) => a.frame === 32)).toMatchObject({ src: '198.51.100.175', priority: 150 });
    expect(peer.find((a) => a.frame === 40)).toMatchObject({ src: '198.51.100.175', priority: 0 });
    const sender = await adverts('nft-jump/gw-a/lan0.pcapng');
    expect(toRfc3339(sender.find((a) => a.src === '203.0.113.1')!.time!)).toBe('2026-11-25T09:54:13.997032275Z');
  });

  it('the entry is born with the first translated advert and destroyed by the fix; the snapshot between still holds it', async () => {
    const [f] = (await flows('nft-jump/gw-a/conntrack-events.log', 'nft-jump/gw-a/nf_conntrack.1795600468')).filter((x) => x.orig.src === '198.51.100.175' && x.orig.dst === '224.0.0.18');
    expect(f.nat.translatedSource).toBe('203.0.113.1');
    expect([f.born?.line, f.destroyed?.line, toRfc3339(f.born!.at!)]).toEqual([3, 4, '2026-11-25T09:54:13.997128000Z']);
    expect(f.sightings).toBe(3);
    expect(f.recent.some((o) => o.file.endsWith('nf_conntrack.1795600468'))).toBe(true);
  });
});

describe('samples/ah-auth', () => {
  it('AH-wrapped adverts: gw-b frames 7–39 leave as 203.0.113.1 (10), frame 42 reverts; the VRRP inside is decoded', async () => {
    const peer = await adverts('ah-auth/gw-b/lan0.pcap');
    const translated = peer.filter((a) => a.src === '203.0.113.1');
    expect([translated.length, translated[0].frame, translated.at(-1)!.frame]).toEqual([10, 7, 39]);
    expect(translated.every((a) => a.ah === true && a.vrid === 150 && a.priority === 150)).toBe(true);
    expect(toRfc3339(translated[0].time!)).toBe('2026-11-25T10:03:49.958892000Z');
    expect(peer.find((a) => a.frame === 42)).toMatchObject({ src: '198.51.100.175', ah: true });
  });

  it('the entry is unknown 51, born with the first translated advert; conntrack -D -p 112 destroyed nothing, -p 51 did', async () => {
    const [f] = (await flows('ah-auth/gw-a/conntrack-events.log')).filter((x) => x.orig.src === '198.51.100.175' && x.orig.dst === '224.0.0.18');
    expect([f.protoNum, f.nat.translatedSource, f.born?.line, f.destroyed?.line]).toEqual([51, '203.0.113.1', 3, 4]);
    expect(toRfc3339(f.destroyed!.at!)).toBe('2026-11-25T10:04:02.632151000Z');
  });

  it('gw-b rejects every translated advert as a failed AH HMAC, then three good ones as replays, then yields', async () => {
    const ev = await logs('ah-auth/gw-b/syslog.rfc3339');
    const rej = ev.filter((e) => e.type === 'ah-rejected');
    expect(rej.map((e) => e.fields.ahFailure)).toEqual([...Array(10).fill('hmac'), 'sequence', 'sequence', 'sequence']);
    expect([rej[0].line, rej.at(-1)!.line]).toEqual([29, 47]);
    const back = ev.find((e) => e.type === 'state' && e.fields.state === 'BACKUP' && !e.fields.init)!;
    expect([back.line, toRfc3339(back.time)]).toEqual([49, '2026-11-25T10:04:05.963790000Z']);
  });
});

describe('samples/both-snat', () => {
  it('each gateway holds its own translated entry and an incoming flow for the other\'s translated adverts', async () => {
    const a = await flows('both-snat/gw-a/conntrack-events.log');
    const own = a.find((f) => f.protoNum === 112 && f.orig.src === '198.51.100.175')!;
    const incoming = a.find((f) => f.protoNum === 112 && f.orig.src === '203.0.113.2')!;
    expect([own.nat.translatedSource, own.born?.line, own.destroyed?.line]).toEqual(['203.0.113.1', 3, 4]);
    expect(incoming.nat.translatedSource).toBeUndefined();
    const b = await flows('both-snat/gw-b/conntrack-events.log');
    expect(b.find((f) => f.protoNum === 112 && f.orig.src === '198.51.100.176')?.nat.translatedSource).toBe('203.0.113.2');
  });

  it('gw-a\'s adverts after its restart still leave translated (frames 7–44 of its own capture), then revert at frame 45', async () => {
    const own = (await adverts('both-snat/gw-a/lan0.pcap')).filter((x) => x.srcMac === '52:54:00:00:a0:01');
    const translated = own.filter((x) => x.src === '203.0.113.1');
    expect([translated.length, translated[0].frame, translated.at(-1)!.frame]).toEqual([9, 7, 44]);
    expect(translated.some((x) => x.time! > 1795601524940000000n)).toBe(true); // after the restart at 10:12:04.940
    expect(own.find((x) => x.frame === 45)?.src).toBe('198.51.100.175');
  });
});
