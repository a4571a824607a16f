import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRfc3339 } from '../../../src/model/instant.js';
import { classifyNat } from '../../../src/sources/conntrack/entry.js';
import { ConntrackHistory } from '../../../src/sources/conntrack/history.js';
import { readConntrack } from '../../../src/sources/conntrack/reader.js';
import { drain } from '../../helpers/drain.js';
import { ROOT } from '../../helpers/capture.js';

const DIR = path.join(ROOT, 'test/fixtures/conntrack-lab');

async function read(f: string) {
  const { items, info } = await drain(readConntrack(path.join(DIR, f)));
  return { entries: items, info };
}

const FORMATS: [string, string, string[]][] = [
  ['proc-nf_conntrack-plain.txt', '/proc/net/nf_conntrack', []],
  ['proc-nf_conntrack-acct-timestamp.txt', '/proc/net/nf_conntrack', []],
  ['conntrack-L-default.txt', 'conntrack -L', []],
  ['conntrack-L-extended.txt', 'conntrack -L -o extended', []],
  ['conntrack-L-timestamp.txt', 'conntrack -L', []],
  ['conntrack-L-ktimestamp.txt', 'conntrack -L', ['ktimestamp']],
  ['conntrack-L-id.txt', 'conntrack -L', ['id']],
  ['conntrack-L-labels.txt', 'conntrack -L', []],
  ['conntrack-L-xml.txt', 'conntrack -o xml', ['id']],
  ['conntrack-L-extended_ktimestamp_id.txt', 'conntrack -L -o extended', ['ktimestamp', 'id']],
  ['conntrack-L-xml_ktimestamp.txt', 'conntrack -o xml', ['ktimestamp', 'id']],
  ['conntrack-L-with-stderr.txt', 'conntrack -L -o extended', []],
  ['conntrack-E.log', 'conntrack -E', []],
  ['conntrack-E-timestamp.log', 'conntrack -E', ['timestamp']],
];

describe('every conntrack format, recorded from one poisoned VRRP flow', () => {
  it('covers every file recorded', () => {
    expect(FORMATS.map((f) => f[0]).sort()).toEqual(readdirSync(DIR).filter((f) => f !== 'README.md').sort());
  });

  it.each(FORMATS)('%s → %s', async (file, format, options) => {
    const { entries, info } = await read(file);
    expect([info.format, info.options, info.problems, info.error]).toEqual([format, options, [], undefined]);
    const vrrp = entries.filter((e) => e.protoNum === 112);
    expect(vrrp.length).toBeGreaterThan(0);
    for (const e of vrrp) {
      expect([e.orig.src, e.orig.dst, e.reply.src, e.reply.dst]).toEqual(['198.51.100.175', '224.0.0.18', '224.0.0.18', '203.0.113.1']);
      expect(classifyNat(e)).toEqual({ kind: 'snat', translatedSource: '203.0.113.1' });
      if (!e.event) expect([e.timeout, e.unreplied]).toEqual([599, true]);
    }
  });

  it('the fields that matter round-trip: counters, delta-time, ktimestamp, id', async () => {
    const acct = (await read('proc-nf_conntrack-acct-timestamp.txt')).entries[0];
    expect([acct.origCounters, acct.replyCounters, acct.deltaTime, acct.zone]).toEqual([{ packets: 4, bytes: 160 }, { packets: 0, bytes: 0 }, 3, 0]);
    const plain = (await read('proc-nf_conntrack-plain.txt')).entries.find((e) => e.protoNum === 112)!;
    expect([plain.origCounters, plain.deltaTime]).toEqual([undefined, undefined]);
    const k = (await read('conntrack-L-extended_ktimestamp_id.txt')).entries[0];
    expect([k.family, k.startText, k.ctId, k.deltaTime]).toEqual(['ipv4', 'Wed Nov 25 06:07:28 2026', 2359414608, 4]);
    const x = (await read('conntrack-L-xml_ktimestamp.txt')).entries[0];
    expect([x.startNs, x.ctId, x.origCounters]).toEqual([1795586848745112732n, 2359414608, { packets: 4, bytes: 160 }]);
  });

  it('the event log across a flush: the entry dies by the user\'s conntrack -F and is born again', async () => {
    const h = new ConntrackHistory();
    (await read('conntrack-E-timestamp.log')).entries.forEach((e) => h.add(e));
    const lives = h.flows().filter((f) => f.protoNum === 112);
    expect(lives).toHaveLength(2);
    expect(lives[0].destroyed?.byUser).toBe('conntrack');
    expect(lives[0].born?.from).toBe('event');
    expect(lives[1].born!.at > lives[0].destroyed!.at!).toBe(true);
    // the exact ns start of -o xml,ktimestamp is the same birth the second [NEW] event gives, to the event's µs
    const xmlStart = (await read('conntrack-L-xml_ktimestamp.txt')).entries[0].startNs!;
    expect(toRfc3339(lives[1].born!.at, 3)).toBe(toRfc3339(xmlStart, 3));
  });
});
