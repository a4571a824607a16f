import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../src/model/records.js';
import { parallelPlan, type ParallelOptions } from '../../../src/sources/capture/parallel.js';
import { readCapture, type CaptureInfo } from '../../../src/sources/capture/reader.js';
import { pcapLayout } from '../../../src/sources/capture/slice.js';
import { CORPUS, plain, ROOT } from '../../helpers/capture.js';
import { ether, ipv4, pcapHeader, pcapRecord, vrrp2 } from '../../helpers/craft.js';

// the worker runs the built reader (npm test builds first): the sources here are TypeScript, which a worker cannot load
const workerUrl = new URL(`file://${path.join(ROOT, 'dist/sources/capture/slice-worker.js')}`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vf-parallel-'));
const T0 = 1_795_586_000;

async function read(file: string, parallel: ParallelOptions | false, chunkSize = 256, pace = false): Promise<{ records: CaptureRecord[]; info: CaptureInfo }> {
  const records: CaptureRecord[] = [];
  const it = readCapture(file, { chunkSize, parallel: parallel && { workerUrl, minBytes: 0, ...parallel } });
  let s = await it.next();
  while (!s.done) {
    records.push(...s.value);
    if (pace) await new Promise((r) => setTimeout(r, 1)); // a slow reader: the workers must wait, not pile up
    s = await it.next();
  }
  return { records, info: s.value };
}

/** Reads a file as one and in slices (each way given), and expects the same records, frames, problems and error. */
async function same(file: string, ways: ParallelOptions[], chunkSize = 256): Promise<{ records: CaptureRecord[]; info: CaptureInfo; taken: number[][] }> {
  const one = await read(file, false, chunkSize);
  const taken: number[][] = [];
  for (const way of ways) {
    const t: number[] = [];
    const many = await read(file, { ...way, onTaken: (k) => t.push(k) }, chunkSize);
    expect(plain(many.records)).toEqual(plain(one.records));
    const { error: e1, ...i1 } = one.info;
    const { error: e2, ...i2 } = many.info;
    expect(plain(i2)).toEqual(plain(i1));
    expect(e2?.toLine()).toEqual(e1?.toLine());
    taken.push(t);
  }
  return { ...one, taken };
}

const advert = (i: number) => ether('52:54:00:00:a0:01', 0x0800, ipv4([198, 51, 100, 1 + (i % 3)], [224, 0, 0, 18], 112, vrrp2(150, 100 + (i % 50), [[198, 51, 100, 254]])));
const udp = (n: number) => ether('52:54:00:00:a0:02', 0x0800, ipv4([198, 51, 100, 9], [203, 0, 113, 9], 17, Buffer.alloc(n, 0xab)));

/** A pcap of `n` packets (an advert every fifth, UDP of varied sizes between); `edit` may replace any record's bytes. */
function craft(name: string, n: number, edit: (i: number, rec: Buffer) => Buffer = (_i, r) => r): { file: string; starts: number[]; bytes: Buffer } {
  const parts = [pcapHeader(1, { snaplen: 65535 })];
  const starts: number[] = [];
  let at = 24;
  for (let i = 0; i < n; i++) {
    const rec = edit(i, pcapRecord(i % 5 === 0 ? advert(i) : udp(20 + ((i * 37) % 300)), T0 + Math.floor(i / 20), (i % 20) * 50_000));
    starts.push(at);
    at += rec.length;
    parts.push(rec);
  }
  const bytes = Buffer.concat(parts);
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return { file, starts, bytes };
}

describe('reading a pcap in slices by worker threads', () => {
  it('gives what reading it as one gives, on every recorded classic pcap (samples and corpus), in 3 slices', async () => {
    const files = [
      ...readdirSync(path.join(ROOT, 'samples'), { recursive: true, encoding: 'utf8' }).map((f) => path.join(ROOT, 'samples', f)),
      ...readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).map((f) => path.join(CORPUS, f)),
    ].filter((f) => /\.pcap$/.test(f) && parallelPlan(f, { slices: 2, minBytes: 0 }) !== null);
    expect(files.length).toBeGreaterThan(20);
    let taken = 0;
    for (const f of files) {
      const r = await same(f, [{ slices: 3 }], 128);
      taken += r.taken.flat().length;
    }
    expect(taken).toBeGreaterThan(files.length); // the workers' readings were used, not only read again here
  });

  it('cuts records at slice ends anywhere (bounds inside records), frames counted on across slices', async () => {
    const { file, starts } = craft('plain.pcap', 3000);
    const plan = parallelPlan(file, { slices: 7, minBytes: 0 })!;
    expect(plan.bounds.slice(1, -1).some((b) => !starts.includes(b))).toBe(true);
    const r = await same(file, [{ slices: 2 }, { slices: 7 }, { slices: 13 }]);
    expect(r.records.length).toBe(600);
    expect(r.records.at(-1)!.frame).toBe(2996);
    expect(r.taken).toEqual([[1], [1, 2, 3, 4, 5, 6], Array.from({ length: 12 }, (_, k) => k + 1)]);
  });

  it('is not misled by a whole pcap carried inside a packet (a header chain in payload): the slice is read again here', async () => {
    // packet 1000's payload is a small capture of its own, right where the second of two slices begins
    const inner = Buffer.concat([pcapHeader(1), ...Array.from({ length: 20 }, (_, i) => pcapRecord(advert(i), T0 + 10, i))]);
    const probe = craft('probe.pcap', 2000);
    const mid = parallelPlan(probe.file, { slices: 2, minBytes: 0 })!.bounds[1];
    const host = probe.starts.findIndex((s) => s > mid - 200) - 1;
    const { file, starts } = craft('nested.pcap', 2000, (i, rec) => (i === host ? pcapRecord(Buffer.concat([udp(8), inner]), T0 + 50, 0) : rec));
    const bounds = parallelPlan(file, { slices: 2, minBytes: 0 })!.bounds;
    expect(starts[host] < bounds[1] && bounds[1] < starts[host + 1]).toBe(true);
    const r = await same(file, [{ slices: 2 }]);
    expect(r.taken).toEqual([[]]); // the look-alike chain was found, and not believed
    expect(r.records.length).toBe(400);
  });

  it('keeps a cut-off last record a truncation warning (E_TRUNCATED at its offset), as before', async () => {
    const { bytes, starts } = craft('whole.pcap', 900);
    const file = path.join(tmp, 'cut.pcap');
    writeFileSync(file, bytes.subarray(0, bytes.length - 7));
    const r = await same(file, [{ slices: 2 }, { slices: 4 }]);
    expect(r.info.problems).toEqual([expect.objectContaining({ code: 'E_TRUNCATED', offset: starts[899] })]);
    expect(r.info.frames).toBe(899);
  });

  it('stops at damage in a later slice: what was read before it is kept, the error names its offset and the frames before it', async () => {
    const { file, starts } = craft('damaged.pcap', 2000, (i, rec) => {
      if (i === 1500) rec.writeUInt32LE(0x7fffffff, 8); // caplen far over the hard limit
      return rec;
    });
    const r = await same(file, [{ slices: 2 }, { slices: 3 }, { slices: 8 }]);
    expect(r.info.error).toMatchObject({ code: 'E_BAD_LENGTH', offset: starts[1500], frame: 1501 });
    expect(r.info.error!.message).toContain('1500 packets kept');
    expect(r.records.length).toBe(300);
    expect(r.taken[1]).toContain(2); // the damaged slice's records before the damage came from its worker
  });

  it('carries the outlier gate across slices: a wild time at a slice start or end is judged as when read as one', async () => {
    const probe = craft('probe2.pcap', 1200);
    const bounds = parallelPlan(probe.file, { slices: 3, minBytes: 0 })!.bounds;
    const firstAfter = (b: number) => probe.starts.findIndex((s) => s >= b);
    const wild = new Set([firstAfter(bounds[1]), firstAfter(bounds[2]) - 1]); // the first packet of slice 1, the last of slice 2
    const { file } = craft('outliers.pcap', 1200, (i, rec) => {
      if (wild.has(i)) rec.writeUInt32LE(T0 + 400 * 86_400, 0);
      return rec;
    });
    const r = await same(file, [{ slices: 3 }]);
    expect(r.info.problems.filter((p) => p.code === 'E_BAD_TIME').map((p) => p.frame)).toEqual([...wild].map((i) => i + 1));
  });

  it('holds at most a window of records per worker however slowly they are taken (the memory bound)', async () => {
    const { file } = craft('dense.pcap', 4000, (i, rec) => (i % 5 ? pcapRecord(advert(i), T0 + Math.floor(i / 20), 0) : rec));
    const one = await read(file, false);
    let held = 0;
    const many = await read(file, { slices: 3, window: 32, onHeld: (n) => (held = Math.max(held, n)) }, 256, true);
    expect(plain(many.records)).toEqual(plain(one.records));
    const perChunk = Math.ceil(256 / 62) + 1; // a chunk's records: 62-byte adverts in 256-byte chunks
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(32 + perChunk);
  });

  it('reads as one what it cannot slice: small files, gzip, pcapng, files older than pcap 2.3', () => {
    const { file } = craft('small.pcap', 10);
    expect(parallelPlan(file, { slices: 2 })).toBeNull(); // under the size threshold
    expect(parallelPlan(file, { slices: 1, minBytes: 0 })).toBeNull();
    expect(parallelPlan(path.join(ROOT, 'samples/split-brain/gw-b/any.pcap.gz'), { slices: 2, minBytes: 0 })).toBeNull();
    expect(parallelPlan(path.join(ROOT, 'samples/intermittent/gw-b/lan0.pcapng'), { slices: 2, minBytes: 0 })).toBeNull();
    expect(pcapLayout(Buffer.from(pcapHeader(1).fill(0, 6, 8)))).toBeNull();
  });
});
