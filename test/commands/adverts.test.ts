import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, TCPDUMP } from '../helpers/capture.js';
import { carp, ether, ipv4, pbb, pcapHeader, pcapRecord, vrrp2 } from '../helpers/craft.js';
import { AdvertSummary } from '../../src/report/adverts.js';
import { readCapture } from '../../src/sources/capture/reader.js';

const BIN = path.join(ROOT, 'bin/run.js');
const SEED = path.join(ROOT, 'samples/seed-snat');

function run(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `adverts --json`: the records, as the contract gives them. */
const records = (args: string[], input?: Buffer) => JSON.parse(run(['adverts', ...args, '--json'], input).out) as Record<string, unknown>[];

/** The facts the text summary words (per sender counts, copies, other packets, undecoded frames), read as the command does. */
async function summaryOf(file: string): Promise<AdvertSummary> {
  const summary = new AdvertSummary();
  const it = readCapture(file);
  let step = await it.next();
  for (; !step.done; step = await it.next()) {
    for (const r of step.value) {
      if (r.kind === 'carp') summary.addCarp(r);
      else if (r.kind === 'vrrp') summary.add(r);
    }
  }
  summary.addSkipped(step.value.skipped);
  return summary;
}

describe('vrrp-forensics adverts', () => {
  it('lists every advert with its frame and a per-vrid summary (the README quick start)', async () => {
    const { code, out, err } = run(['adverts', 'samples/seed-snat/gw-b/lan0.pcap']);
    expect([code, err]).toEqual([0, '']);
    const lines = out.split('\n');
    expect(lines.find((l) => l.includes('#7 '))).toBe(
      '2026-11-25 05:55:41.743047  samples/seed-snat/gw-b/lan0.pcap#7  203.0.113.1 > 224.0.0.18  VRRPv2 vrid 150 prio 150 auth simple "[redacted]" intvl 1s addrs 198.51.100.254 cksum ok  mac 52:54:00:00:a0:01',
    );
    expect(out).toContain('\nSummary (times in UTC):\n  vrid 150\n');
    expect(out).not.toContain('s3cr3t');
    const rows = (await summaryOf(path.join(SEED, 'gw-b/lan0.pcap'))).rows();
    expect(rows.find((r) => r.src === '203.0.113.1')).toMatchObject({ vrid: 150, count: 15, first: { frame: 7 }, priorities: new Set([150]) });
  });

  it('an -i any capture lists each copy (as tcpdump does) and its summary counts the advert once, saying so', async () => {
    const { code, out } = run(['adverts', 'samples/vmac/gw-a/any.pcap']);
    expect(code).toBe(0);
    const translated = records(['samples/vmac/gw-a/any.pcap']).filter((r) => r.src === '203.0.113.1');
    expect(translated).toHaveLength(10);
    expect(new Set(translated.map((r) => r.ifIndex)).size).toBe(2);
    const summary = await summaryOf(path.join(ROOT, 'samples/vmac/gw-a/any.pcap'));
    expect(summary.rows().find((r) => r.src === '203.0.113.1')?.count).toBe(5);
    expect(summary.copies).toBe(13);
    // the summary says so, in its place
    expect(out).toContain(`(${summary.copies} adverts listed twice — seen on two interfaces of a tcpdump -i any capture — are counted once)`);
  });

  it('--show-secrets prints the auth string; --json is an array of records with ns times', () => {
    expect(run(['adverts', path.join(SEED, 'gw-b/lan0.pcap'), '--show-secrets']).out).toContain('"s3cr3t-v"');
    const { out, code } = run(['adverts', path.join(SEED, 'gw-a/any.pcap'), '--json']);
    expect(code).toBe(0);
    const recs = JSON.parse(out);
    const first = recs.find((r: { src: string }) => r.src === '203.0.113.1');
    expect(first).toMatchObject({ frame: 7, time: '2026-11-25T05:55:41.743041408Z', epochNs: '1795586141743041408', direction: 'sent-by-us', authData: '[redacted]', vrid: 150 });
  });

  it('--csv writes a header and formula-safe cells', () => {
    const { out } = run(['adverts', path.join(TCPDUMP, 'vrrp.pcap'), '--csv', '--vrid', '42']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^time,epoch_ns,file,frame,/);
    expect(lines).toHaveLength(1 + 34);
    expect(lines[1].startsWith('2014-03-05T21:55:06.745865000Z,1394056506745865000,')).toBe(true);
  });

  it('--tz and --time-format iso print local time with its offset', () => {
    const { out } = run(['adverts', path.join(TCPDUMP, 'vrrp.pcap'), '--tz', 'Europe/Berlin', '--time-format', 'iso', '--no-summary']);
    expect(out.split('\n')[0]).toMatch(/^2014-03-05T22:55:06\.745865\+01:00 /);
  });

  it('reads gzip from stdin', () => {
    const gz = gzipSync(readFileSync(path.join(TCPDUMP, 'vrrp.pcap')));
    const { out, code } = run(['adverts', '-', '--no-summary'], gz);
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(165);
    expect(records(['-'], gz)[0]).toMatchObject({ file: '-', frame: 1, src: '10.0.0.91', dst: '224.0.0.18' });
  });

  it('a directory argument reads every capture in it', () => {
    const { out, err, code } = run(['adverts', path.join(SEED, 'gw-b'), '--no-summary']);
    // keepalived.conf and syslog in that folder are other evidence: skipped with a note, the capture read
    expect(out.trim().split('\n')).toHaveLength(25);
    expect([code, err]).toEqual([0, 'vrrp-forensics: note: 5 file(s) in the given folders are not captures and were skipped\n']);
  });

  it('an unreadable input: one line naming the file and its first bytes, exit 2, no stack trace', () => {
    const { code, err } = run(['adverts', path.join(SEED, 'gw-b/keepalived.conf')]);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^vrrp-forensics: error: .*keepalived\.conf: byte 0: not a capture file \(pcap or pcapng\) \(first bytes 21 20 67 77/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a missing file and a bad --tz are one-line errors', () => {
    const missing = run(['adverts', '/nonexistent/x.pcap']);
    expect([missing.code, missing.err.trim()]).toEqual([2, 'vrrp-forensics: error: /nonexistent/x.pcap: ENOENT: cannot stat [E_IO]']);
    const tz = run(['adverts', path.join(TCPDUMP, 'vrrp.pcap'), '--tz', 'Mars/Olympus']);
    expect(tz.code).toBe(2);
    expect(tz.err).toContain('unknown time zone "Mars/Olympus"');
  });

  it('a hostile interface-free capture name cannot inject terminal escapes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-esc-'));
    const f = path.join(dir, 'x\u001b[31m.pcap');
    writeFileSync(f, readFileSync(path.join(TCPDUMP, 'vrrp.pcap')));
    const { out } = run(['adverts', f, '--no-summary']);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('x\\x1b[31m.pcap#1');
  });

  const crafted = (name: string, frames: Buffer[]) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vf-wire-')), name);
    writeFileSync(file, Buffer.concat([pcapHeader(1), ...frames.map((f, i) => pcapRecord(f, 1_795_587_840 + i, 0))]));
    return file;
  };
  const GW = [198, 51, 100, 2];
  const MCAST = [224, 0, 0, 18];

  it('CARP is listed as CARP (vhid, advbase, advskew) with its own summary line, never as a VRRP router', async () => {
    const file = crafted('carp.pcap', [0, 1].map(() => ether('00:00:5e:00:01:05', 0x0800, ipv4(GW, MCAST, 112, carp(5, 100)))));
    const { code, out, err } = run(['adverts', file]);
    expect([code, err]).toEqual([0, '']);
    const lines = out.split('\n');
    // the CARP listing line, golden
    expect(lines[0]).toMatch(/#1 {2}198\.51\.100\.2 > 224\.0\.0\.18 {2}CARPv2 vhid 5 advbase 1 advskew 100 counter 0123456789abcdef cksum ok {2}mac 00:00:5e:00:01:05$/);
    const json = records([file]);
    expect(json).toHaveLength(2);
    expect(json.every((r) => r.kind === 'carp' && r.vhid === 5 && r.src === '198.51.100.2' && r.advskew === 100 && r.advbase === 1 && !('vrid' in r))).toBe(true);
    // no VRRP router in the summary; what it says instead is never a bare "none found" (the words the user reads)
    expect((await summaryOf(file)).rows()).toEqual([]);
    expect(out).not.toContain('No VRRP advertisements found');
    expect(out).toContain('No VRRP advertisements: the packets listed above are 2 CARP adverts (another protocol on IP 112).');
    expect(out.split('\n').filter((l) => l.startsWith('  CARP vhid 5 (not VRRP)  198.51.100.2 '))).toHaveLength(1);
  });

  it('a VRRPv2 advert inside 802.1ah PBB framing is listed; frames of an undecoded ethertype are counted and named', async () => {
    const advert = ether('52:54:00:00:a0:01', 0x0800, ipv4(GW, MCAST, 112, vrrp2(150, 150, [[198, 51, 100, 254]])));
    const file = crafted('pbb.pcap', [pbb(0x10001, advert, 20), ether('52:54:00:00:a0:01', 0x0000, Buffer.alloc(46)), ether('52:54:00:00:a0:01', 0x0000, Buffer.alloc(46))]);
    const { code, out, err } = run(['adverts', file]);
    expect(code).toBe(0);
    expect(records([file])).toEqual([expect.objectContaining({ kind: 'vrrp', frame: 1, src: '198.51.100.2', dst: '224.0.0.18', version: 2, vrid: 150, priority: 150, srcMac: '52:54:00:00:a0:01' })]);
    const summary = await summaryOf(file);
    expect(summary.rows()).toHaveLength(1);
    expect(summary.skipped).toEqual([{ linkType: 1, etherType: 0, frames: 2 }]);
    expect(out).toContain('2 frames were not decoded (ethertype 0x0000 ×2)');
    // the warning on stderr: one line, the count and the ethertype named
    expect(err.trim()).toMatch(/2 of 3 packets were not decoded: ethertype 0x0000 ×2/);
    expect(err).not.toContain('link type');
  });

  it('nothing but undecoded frames: "none found" says what was skipped', async () => {
    const file = crafted('lldp.pcap', [ether('52:54:00:00:a0:01', 0x88cc, Buffer.alloc(46))]);
    const { out } = run(['adverts', file]);
    const summary = await summaryOf(file);
    expect([summary.rows(), summary.skipped]).toEqual([[], [{ linkType: 1, etherType: 0x88cc, frames: 1 }]]);
    // the words the user reads: none found, and what went unread
    expect(out).toContain('No VRRP advertisements found.');
    expect(out).toContain('1 frame was not decoded (ethertype 0x88cc ×1): VRRP inside it would not be listed.');
  });

  it('a listed VRRP packet that is no advertisement is never followed by a bare "No VRRP advertisements found"', async () => {
    const v = vrrp2(150, 150, []);
    v[0] = 0x11; // version 1
    const file = crafted('type2.pcap', [ether('52:54:00:00:a0:01', 0x0800, ipv4(GW, MCAST, 112, v))]);
    const { out } = run(['adverts', file]);
    expect(records([file])).toEqual([expect.objectContaining({ kind: 'vrrp', version: 1, type: 1 })]);
    const summary = await summaryOf(file);
    expect([summary.rows(), summary.others]).toEqual([[], 1]);
    expect(out).toContain('VRRP version 1 type 1 (not an advertisement)');
    expect(out).not.toContain('No VRRP advertisements found');
    expect(out).toContain('No VRRP advertisements: the packets listed above are one VRRP packet of another version or type.');
  });
});
