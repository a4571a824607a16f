import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInstant, toRfc3339 } from '../../src/model/instant.js';
import type { VrrpAdvertRecord } from '../../src/model/records.js';
import { ROOT, readAll } from '../helpers/capture.js';

const SAMPLE = path.join(ROOT, 'samples/seed-snat');

async function adverts(rel: string): Promise<VrrpAdvertRecord[]> {
  const { records, info } = await readAll(path.join(SAMPLE, rel));
  expect([info.error, info.problems]).toEqual([undefined, []]);
  return records.filter((r): r is VrrpAdvertRecord => r.kind === 'vrrp');
}

/** The facts samples/seed-snat/README.md states, read back from the captures. */
describe('samples/seed-snat captures', () => {
  it('peer capture (pcap µs, Ethernet): first translated advert frame 7, last frame 31, revert frame 32', async () => {
    const a = await adverts('gw-b/lan0.pcap');
    const translated = a.filter((r) => r.src === '203.0.113.1');
    expect(translated).toHaveLength(15);
    expect([translated[0].frame, formatInstant(translated[0].time!, 'UTC', 'tttt', 6)]).toEqual([7, '2026-11-25 05:55:41.743047']);
    expect([translated.at(-1)!.frame, formatInstant(translated.at(-1)!.time!, 'UTC', 'tttt', 6)]).toEqual([31, '2026-11-25 05:55:55.745791']);
    const revert = a.find((r) => r.src === '198.51.100.175')!;
    expect([revert.frame, toRfc3339(revert.time!, 6)]).toEqual([32, '2026-11-25T05:55:56.745926Z']);
    // same router, rewritten source: same MAC, priority, interval, VIPs before and after the revert
    expect(new Set([...translated, revert].map((r) => `${r.srcMac} ${r.priority} ${r.interval} ${r.addresses}`)).size).toBe(1);
    expect(translated[0].srcMac).toBe('52:54:00:00:a0:01');
    // v2 checksum covers only the VRRP message: NAT cannot break it
    expect(translated.every((r) => r.checksumStatus === 'ok')).toBe(true);
    // truncated to 8 characters by keepalived, as its log says
    expect(translated[0].authData).toBe('s3cr3t-v');
  });

  it('sender capture (-i any: SLL2, nanoseconds) shows the same advert leaving, "sent by us"', async () => {
    const a = await adverts('gw-a/any.pcap');
    const first = a.find((r) => r.src === '203.0.113.1')!;
    expect([first.frame, toRfc3339(first.time!), first.direction, first.interface.linkType, first.precision]).toEqual([
      7, '2026-11-25T05:55:41.743041408Z', 'sent-by-us', 276, 9,
    ]);
    expect(a.filter((r) => r.src === '203.0.113.1')).toHaveLength(15);
  });
});

describe('samples/seed-snat logs and conntrack state', async () => {
  const { readSyslog } = await import('../../src/sources/syslog/reader.js');
  const { wallClockToEpochMs } = await import('../../src/model/instant.js');
  const { readConntrack } = await import('../../src/sources/conntrack/reader.js');
  const { ConntrackHistory } = await import('../../src/sources/conntrack/history.js');
  const { drain } = await import('../helpers/drain.js');
  const logs = (rel: string) => drain(readSyslog(path.join(SAMPLE, rel), { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') }));

  it('the transitions the README states: gw-b MASTER then BACKUP on the translated advert; gw-a MASTER with its first translated advert', async () => {
    const b = (await logs('gw-b/syslog.rfc3339')).items;
    const reason = b.find((e) => e.type === 'higher-priority-advert')!;
    expect([toRfc3339(reason.time, 0), reason.fields.peer, reason.line]).toEqual(['2026-11-25T05:55:41Z', '203.0.113.1', 29]);
    const a = (await logs('gw-a/syslog.rfc3339')).items;
    const master = a.find((e) => e.type === 'state' && e.fields.state === 'MASTER')!;
    expect(toRfc3339(master.time, 6)).toBe('2026-11-25T05:55:41.743071Z');
    const resign = b.find((e) => e.type === 'priority-zero-received')!;
    expect(toRfc3339(resign.time, 0)).toBe('2026-11-25T05:56:04Z');
  });

  it('the conntrack entry born with the first translated advert, deleted by the fix', async () => {
    const h = new ConntrackHistory();
    for (const f of ['conntrack-events.log', 'nf_conntrack.1795586148', 'nf_conntrack.1795586156']) {
      (await drain(readConntrack(path.join(SAMPLE, 'gw-a', f)))).items.forEach((e) => h.add(e));
    }
    const poisoned = h.flows().find((f) => f.protoNum === 112 && f.nat.translatedSource === '203.0.113.1')!;
    expect([toRfc3339(poisoned.born!.at, 6), poisoned.born!.line, toRfc3339(poisoned.destroyed!.at!, 6)]).toEqual([
      '2026-11-25T05:55:41.743090Z', 3, '2026-11-25T05:55:56.414713Z',
    ]);
    // the [NEW] event (µs) comes 48.6 µs after the first translated advert left gw-a (any.pcap frame 7, ns)
    const first = (await adverts('gw-a/any.pcap')).find((r) => r.src === '203.0.113.1')!;
    expect(poisoned.born!.at - first.time!).toBe(48_592n);
  });
});
