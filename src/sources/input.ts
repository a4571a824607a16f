import { createReadStream, promises as fsp, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import path from 'node:path';
import { ForensicError, asForensicError } from '../errors.js';

/** Chunk size for file reads: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
export const READ_CHUNK = 1 << 20;

export interface OpenedInput {
  /** The name the user gave (or `-` for stdin); what every citation uses. */
  name: string;
  gzip: boolean;
  /** First bytes of the (decompressed) content, for sniffing. */
  head: Buffer;
  /** Decompressed content, chunk by chunk, starting with `head`'s bytes. */
  chunks: AsyncIterable<Buffer>;
  /** Stops reading and releases the file. */
  close(): void;
}

export interface InputPath {
  path: string;
  /** found by walking a directory the user named (not named itself): a file of another kind is skipped, not an error */
  fromDirectory: boolean;
}

/** Expands directories (sorted, recursive, hidden files skipped) so a folder of evidence is one argument. */
export async function expandPaths(paths: string[], fromDirectory = false): Promise<InputPath[]> {
  const out: InputPath[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ path: p, fromDirectory });
      continue;
    }
    let st;
    try {
      st = await fsp.stat(p);
    } catch (err) {
      throw asForensicError(err, p);
    }
    if (st.isDirectory()) {
      const entries = (await fsp.readdir(p)).filter((e) => !e.startsWith('.')).sort();
      out.push(...(await expandPaths(entries.map((e) => path.join(p, e)), true)));
    } else {
      out.push({ path: p, fromDirectory });
    }
  }
  return out;
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length) yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Reads until `n` bytes are buffered (or the stream ends); returns them and the iterator positioned after. */
async function peek(it: AsyncIterator<Buffer>, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const r = await it.next();
    if (r.done) break;
    const c = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    parts.push(c);
    have += c.length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * Plain files are read synchronously into one reused buffer: each chunk is fully parsed before the buffer is reused
 * (readers copy what they keep), so a 500 MB capture costs one 1 MiB buffer and no garbage. Synchronous, because a
 * read through libuv's pool costs more than it hides: reading 697 MB from the page cache took 150 ms with awaited
 * reads, 90-105 ms with readSync, and double-buffered async reads left the parser idle 155-170 ms of a 250 ms walk
 * (measured with --cpu-prof). It also keeps worker threads (batch) off the one pool they share. Chunks are still
 * handed out through an async generator, so merging readers interleave as before.
 */
async function* fileChunks(fh: import('node:fs/promises').FileHandle, size: number, start: number): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let pos = start;
  try {
    for (;;) {
      const n = readSync(fh.fd, buf, 0, size, pos);
      if (n === 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  } finally {
    await fh.close().catch(() => {});
  }
}

/** Opens a regular file without a stream: reads its head, then hands out reused-buffer chunks. Gzip goes the stream way. */
async function openPlainFile(name: string, chunkSize: number): Promise<OpenedInput | null> {
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await fsp.open(name, 'r');
  } catch (err) {
    throw asForensicError(err, name);
  }
  try {
    const st = await fh.stat();
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, 64, 0);
    const h = head.subarray(0, bytesRead);
    if (!st.isFile() || (h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b)) {
      await fh.close();
      return null;
    }
    let closed = false;
    const chunks = fileChunks(fh, chunkSize, 0);
    return {
      name,
      gzip: false,
      head: Buffer.from(h),
      chunks,
      close() {
        if (closed) return;
        closed = true;
        void chunks.return(undefined);
        fh.close().catch(() => {});
      },
    };
  } catch (err) {
    await fh.close().catch(() => {});
    throw asForensicError(err, name);
  }
}

/**
 * Opens a path (or `-` for stdin) read-only and un-gzips it when the content starts with the gzip magic (1f 8b),
 * whatever the file is called. Concatenated gzip members are read as one stream, as gunzip does.
 */
export async function openInput(name: string, chunkSize = READ_CHUNK): Promise<OpenedInput> {
  if (name !== '-') {
    const plainFile = await openPlainFile(name, chunkSize);
    if (plainFile) return plainFile;
  }
  let raw: Readable;
  if (name === '-') {
    raw = process.stdin;
  } else {
    try {
      const fh = await fsp.open(name, 'r');
      raw = createReadStream('', { fd: fh, highWaterMark: chunkSize, autoClose: true });
    } catch (err) {
      throw asForensicError(err, name);
    }
  }
  raw.on('error', () => {}); // surfaced through the iterator
  const rawIt = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let rawHead: Buffer;
  try {
    rawHead = await peek(rawIt, 2);
  } catch (err) {
    raw.destroy();
    throw asForensicError(err, name);
  }
  const gzip = rawHead.length >= 2 && rawHead[0] === 0x1f && rawHead[1] === 0x8b;
  let content: AsyncIterator<Buffer>;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  if (gzip) {
    // inflate output in 256 KiB pieces (farm-bench, CPU): on one gzip capture 1 MiB is 0.89x and 256 KiB 0.94x of
    // 64 KiB's time, but a storm (every packet a record) merged from four gzip streams took 1.31x with 1 MiB — each
    // chunk's 20,000 records live at once and outgrow the young generation — and 1.03x with 256 KiB
    gunzip = createGunzip({ chunkSize: Math.min(chunkSize, 1 << 18) });
    const source = Readable.from(prepend(rawHead, rawIt), { objectMode: false });
    source.on('error', (e) => gunzip!.destroy(e));
    source.pipe(gunzip);
    content = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  } else {
    content = prepend(rawHead, rawIt)[Symbol.asyncIterator]();
  }
  let head: Buffer;
  try {
    head = await peek(content, 64);
  } catch (err) {
    raw.destroy();
    throw asForensicError(err, name);
  }
  return {
    name,
    gzip,
    head,
    chunks: prepend(head, content),
    close() {
      gunzip?.destroy();
      if (raw !== process.stdin) raw.destroy();
    },
  };
}

/** `4e 6f 76 20 32 35 "Nov 25"` — how a file's first bytes look, for "not a capture" messages. */
export function describeHead(head: Buffer, n = 8): string {
  const bytes = head.subarray(0, n);
  if (bytes.length === 0) return 'the file is empty';
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `first bytes ${hex} "${text}"`;
}

export function notA(kind: string, input: { name: string; head: Buffer }): ForensicError {
  return new ForensicError('E_NOT_CAPTURE', `not a ${kind} (${describeHead(input.head)})`, { file: input.name, offset: 0 });
}
