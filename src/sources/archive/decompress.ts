import { Readable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { ForensicError } from '../../errors.js';

/** Compression around an archive (or a member): by magic, never by name. */
export type Compression = 'none' | 'gzip' | 'xz' | 'zstd';

export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 6 && head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58 && head[4] === 0x5a && head[5] === 0x00) return 'xz';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/**
 * Decompressed chunks of a compressed chunk stream. gzip: Node's zlib; xz: xz-decompress (xz-embedded compiled to
 * WebAssembly: no native build); zstd: fzstd (pure JS; Node 20's zlib has no zstd). Chosen by measurement — see the
 * README's *Archives*. A damaged stream ends with a ForensicError (E_GZIP for every codec: "the compressed stream is
 * damaged") after every byte decoded before the damage was handed out.
 */
export function decompress(kind: Compression, src: AsyncIterable<Uint8Array>, file: string): AsyncIterable<Uint8Array> {
  switch (kind) {
    case 'gzip': return gunzip(src, file);
    case 'xz': return unxz(src, file);
    case 'zstd': return unzstd(src, file);
    default: return src;
  }
}

function damaged(kind: string, err: unknown, file: string): ForensicError {
  const why = err instanceof Error ? err.message : String(err);
  return new ForensicError('E_GZIP', `${kind} stream damaged or cut short (${why})`, { file });
}

async function* gunzip(src: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  const z = createGunzip({ chunkSize: 1 << 16 });
  const input = Readable.from(src, { objectMode: false });
  input.on('error', (e) => z.destroy(e));
  input.pipe(z);
  try {
    for await (const c of z) yield c as Buffer;
  } catch (err) {
    throw err instanceof ForensicError ? err : damaged('gzip', err, file);
  } finally {
    input.destroy();
    z.destroy();
  }
}

async function* unxz(src: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  // a CommonJS module: its exports arrive as the default export under ESM
  const mod = (await import('xz-decompress')) as unknown as { XzReadableStream?: typeof import('xz-decompress').XzReadableStream; default?: typeof import('xz-decompress') };
  const XzReadableStream = mod.XzReadableStream ?? mod.default!.XzReadableStream;
  const it = src[Symbol.asyncIterator]();
  const compressed = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const r = await it.next();
        if (r.done) ctl.close();
        else ctl.enqueue(r.value);
      } catch (err) {
        ctl.error(err);
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
  const out = new XzReadableStream(compressed as unknown as globalThis.ReadableStream<Uint8Array>);
  const reader = out.getReader();
  let done = false;
  try {
    for (;;) {
      let r;
      try {
        r = await reader.read();
      } catch (err) {
        throw damaged('xz', err, file);
      }
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    // stopped early (a sniff of the first bytes): xz-decompress throws when cancelled after its last block; nothing is lost
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

async function* unzstd(src: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  const { Decompress } = await import('fzstd');
  let out: Uint8Array[] = [];
  const d = new Decompress((chunk) => out.push(chunk));
  try {
    for await (const c of src) {
      d.push(c);
      if (out.length) {
        const ready = out;
        out = [];
        yield* ready;
      }
    }
    d.push(new Uint8Array(0), true);
  } catch (err) {
    if (out.length) yield* out;
    throw err instanceof ForensicError ? err : damaged('zstd', err, file);
  }
  yield* out;
}
