import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ForensicError } from '../../src/errors.js';
import { CaptureParser } from '../../src/sources/capture/reader.js';
import { ConntrackParser } from '../../src/sources/conntrack/reader.js';
import { SyslogParser } from '../../src/sources/syslog/reader.js';
import { TcpdumpTextParser } from '../../src/sources/tcpdump-text/reader.js';
import { parseKeepalivedConf } from '../../src/sources/config/keepalived-conf.js';
import { parseRuleset } from '../../src/sources/config/firewall.js';
import { ROOT } from '../helpers/capture.js';

/** Cases per property in `npm test`; `npm run fuzz -- --runs N` raises it. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Every case must finish within this (a zero-length block or a self-referencing offset must not spin). */
export const CASE_MS = 2000;
/** Resident memory the test process must stay under through every case (an allocation sized by a hostile length would not). */
export const MEM_BOUND = 1536 * 1024 * 1024;
/** vitest's per-test time limit for a property of RUNS cases */
export const TEST_MS = 20_000 + RUNS * 40;

export type Reader = 'capture' | 'conntrack' | 'syslog' | 'keepalived-conf' | 'firewall' | 'tcpdump-text';

export interface Outcome {
  /** records/entries/events as JSON strings (bigints as text), in order */
  items: string[];
  /** the coded error that stopped the input, if any: code + offset/line */
  error: string | null;
  ms: number;
}

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Runs one reader over bytes in chunks of `chunk`. Only a ForensicError may come out (it is the reader's coded way of
 * stopping a file); anything else is the bug the fuzzing is for, and is thrown on.
 */
export function runReader(reader: Reader, bytes: Uint8Array, chunk: number): Outcome {
  const items: string[] = [];
  const t0 = performance.now();
  let error: string | null = null;
  const feed = (p: { write(c: Uint8Array): void; end(): void }) => {
    try {
      for (let i = 0; i < bytes.length; i += Math.min(chunk, bytes.length || 1)) p.write(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
      p.end();
    } catch (err) {
      if (!(err instanceof ForensicError)) throw err;
      // a coded error always says where: the byte offset (binary) or the line (text)
      if (err.offset === undefined && err.line === undefined) throw new Error(`${err.code} without an offset or line: ${err.message}`);
      error = `${err.code}@${err.offset ?? ''}:${err.line ?? ''}`;
    }
  };
  if (reader === 'capture') feed(new CaptureParser('fuzz', (r) => items.push(json(r))));
  else if (reader === 'conntrack') feed(new ConntrackParser('fuzz', (e) => items.push(json(e))));
  else if (reader === 'tcpdump-text') feed(new TcpdumpTextParser('fuzz', (r) => items.push(json(r)), { tz: 'UTC', toEpochMs: (t) => Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second), anchor: { ns: 1795586141000000000n, from: 'mtime' } }));
  else if (reader === 'syslog') feed(new SyslogParser('fuzz', { tz: 'UTC', toEpochMs: (t) => Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second), year: { firstYear: 2026, source: 'flag', weak: false, rollovers: 0 } }, (e) => items.push(json(e))));
  else {
    const text = Buffer.from(bytes).toString('utf8');
    if (reader === 'keepalived-conf') items.push(json(parseKeepalivedConf(text, 'fuzz.conf')));
    else items.push(json(parseRuleset(text)));
  }
  return { items, error, ms: performance.now() - t0 };
}

/**
 * In a long campaign (FUZZ_SAVE=1) a failing input is kept under test/regressions/fuzz/, where the replay test reads
 * it back on every `npm test`.
 */
export function keepFailure(reader: Reader, bytes: Uint8Array, why: string): void {
  if (!process.env.FUZZ_SAVE) return;
  const dir = path.join(ROOT, 'test/regressions/fuzz');
  mkdirSync(dir, { recursive: true });
  const name = `${reader}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
  writeFileSync(path.join(dir, `${name}.bin`), bytes);
  writeFileSync(path.join(dir, `${name}.txt`), `${reader}\n${why}\n`);
}

/** The invariants every case must keep: no escape, bounded time, and the same result whatever the chunking. */
export function checkCase(reader: Reader, bytes: Uint8Array, chunks = [bytes.length || 1, 4096, 7]): Outcome {
  let first: Outcome | undefined;
  try {
    for (const c of chunks) {
      const o = runReader(reader, bytes, c);
      if (o.ms > CASE_MS) throw new Error(`took ${o.ms.toFixed(0)} ms (bound ${CASE_MS})`);
      const rss = process.memoryUsage.rss();
      if (rss > MEM_BOUND) throw new Error(`resident memory ${(rss / 2 ** 20).toFixed(0)} MiB (bound ${MEM_BOUND / 2 ** 20})`);
      if (!first) first = o;
      else if (o.error !== first.error || o.items.length !== first.items.length || o.items.some((x, i) => x !== first!.items[i])) {
        throw new Error(`chunk size ${c} gives a different result than ${chunks[0]}`);
      }
    }
  } catch (err) {
    keepFailure(reader, bytes, (err as Error).stack ?? String(err));
    throw err;
  }
  return first!;
}

/** Lets the event loop turn between cases: a long synchronous campaign would starve vitest's worker RPC. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
