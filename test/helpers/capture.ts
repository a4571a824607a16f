import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureParser, readCapture, type CaptureInfo } from '../../src/sources/capture/reader.js';
import type { CaptureRecord } from '../../src/model/records.js';
import { drain } from './drain.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = path.resolve(ROOT, 'test/fixtures/corpus');
export const TCPDUMP = path.join(CORPUS, 'tcpdump');

/** Reads a whole file through the real streaming shell. */
export async function readAll(file: string, chunkSize?: number): Promise<{ records: CaptureRecord[]; info: CaptureInfo }> {
  const { items, info } = await drain(readCapture(file, { chunkSize }));
  return { records: items, info };
}

/** Feeds bytes to the stream-free parser in chunks of `size` (the sync front end tests use). */
export function parseBytes(bytes: Uint8Array, size = bytes.length, name = 'crafted'): { records: CaptureRecord[]; info: CaptureInfo; error?: unknown } {
  const records: CaptureRecord[] = [];
  const p = new CaptureParser(name, (r) => records.push(r));
  try {
    for (let i = 0; i < bytes.length; i += size) p.write(bytes.subarray(i, Math.min(bytes.length, i + size)));
    p.end();
  } catch (error) {
    return { records, info: p.info, error };
  }
  return { records, info: p.info };
}

export function load(file: string): Buffer {
  return readFileSync(file);
}

/** JSON-able copy (bigints as strings) for deep equality across runs. */
export function plain(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

export const GEN_LE_001 = path.join(CORPUS, 'pcapng-test-generator/le/basic/test001.pcapng');
