import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { L2T_COLUMNS, l2tCsv, timesketchJsonl } from '../../src/report/exports.js';
import { ROOT } from '../helpers/capture.js';

describe('timeline exports', () => {
  it('timesketch JSONL: message, datetime (UTC), timestamp_desc, timestamp in µs, our fields, findings as events', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat'], { tz: 'UTC' });
    const rows = timesketchJsonl(r).trim().split('\n').map((l) => JSON.parse(l));
    const flip = rows.find((x) => x.kind === 'advert-translated' && x.file.endsWith('gw-b/lan0.pcap'))!;
    expect(flip).toMatchObject({ datetime: '2026-11-25T05:55:41.743047+00:00', timestamp: 1795586141743047, timestamp_desc: 'Packet captured', host: 'gw-b', vrid: 150, locator: 'frame 7', finding: 'F1' });
    expect(flip.message).toMatch(/^gw-b: VRRPv2 vrid 150 prio 150 from 203\.0\.113\.1 \(translated; really 198\.51\.100\.175, gw-a\) \(×15\)$/);
    expect(rows.find((x) => x.data_type === 'vrrp-forensics:finding' && x.finding === 'F1')).toMatchObject({ kind: 'vrrp-source-translated', severity: 'warning', timestamp: 1795586141743041 });
    for (const x of rows) expect(typeof x.message === 'string' && typeof x.datetime === 'string' && Number.isInteger(x.timestamp)).toBe(true);
  });

  it("l2tcsv: plaso's 17 columns, date MM/DD/YYYY, UTC, formula-safe", async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat'], { tz: 'UTC' });
    const csv = await l2tCsv(r);
    const [head, ...lines] = csv.trim().split('\n');
    expect(head.split(',')).toEqual(L2T_COLUMNS);
    expect(L2T_COLUMNS).toHaveLength(17);
    const flip = lines.find((l) => l.includes('frame 7') && l.includes('gw-b/lan0.pcap'))!;
    expect(flip).toMatch(/^11\/25\/2026,05:55:41,UTC,\.\.\.\.,PCAP,VRRP capture,Packet captured,-,gw-b,/);
    r.timeline.find((e) => !e.fact)!.summary = '=cmd|calc';
    expect(await l2tCsv(r)).toContain("'=cmd|calc");
  });

  it('ends are kept: a collapsed run has end_time and an end event, a finding its end (Timesketch) — and end rows in l2tcsv', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat'], { tz: 'UTC' });
    const rows = timesketchJsonl(r).trim().split('\n').map((l) => JSON.parse(l));
    const run = rows.find((x) => x.kind === 'advert-translated' && x.file.endsWith('gw-b/lan0.pcap') && x.timestamp_desc === 'Packet captured')!;
    expect(run).toMatchObject({ repeat: 15, end_time: '2026-11-25T05:55:55.745791+00:00' });
    expect(rows.find((x) => x.kind === 'advert-translated' && x.file.endsWith('gw-b/lan0.pcap') && x.timestamp_desc === 'Packet captured (run end)'))
      .toMatchObject({ datetime: '2026-11-25T05:55:55.745791+00:00', timestamp: 1795586155745791 });
    const f1 = rows.filter((x) => x.data_type === 'vrrp-forensics:finding' && x.finding === 'F1');
    expect(f1.map((x) => x.timestamp_desc)).toEqual(['Finding start', 'Finding end']);
    // F1 ends at its revert
    expect(f1[1]).toMatchObject({ datetime: '2026-11-25T05:55:56.745918+00:00', end_time: '2026-11-25T05:55:56.745918+00:00' });
    const csv = await l2tCsv(r);
    const lines = csv.trim().split('\n').slice(1);
    expect(lines.some((l) => /^11\/25\/2026,05:55:55,UTC,.*Packet captured \(run end\),-,gw-b,.*\(last of ×15\)/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes(',VRRP,finding,Finding ') && l.includes(',F1,')).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual(['11/25/2026 05:55:41', '11/25/2026 05:55:56']);
    // in time order
    const times = lines.map((l) => l.slice(6, 10) + l.slice(0, 5) + l.slice(11, 19));
    expect([...times].sort()).toEqual(times);
  });
});
