import { ForensicError } from '../../errors.js';

/** One member header of a tar archive, as the walk found it. */
export interface TarEntry {
  name: string;
  /** '0' regular file, '5' folder, '2' symlink, '1' hard link, … (pax and GNU long-name headers are folded in) */
  type: string;
  size: number;
  mtimeMs: number | null;
  /** byte offset of its header in the (decompressed) archive */
  headerOffset: number;
  /** byte offset of its first data byte */
  dataOffset: number;
}

export type TarEvent =
  | { kind: 'entry'; entry: TarEntry }
  | { kind: 'data'; entry: TarEntry; chunk: Uint8Array }
  | { kind: 'entry-end'; entry: TarEntry }
  | { kind: 'damage'; error: ForensicError };

const BLOCK = 512;
/** pax and GNU long-name records are names and a few numbers: larger ones are refused, never allocated */
const MAX_META = 1 << 20;

function field(b: Uint8Array, at: number, len: number): string {
  let end = at;
  while (end < at + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(at, end)).toString('utf8');
}

/** Octal ASCII (padded with spaces/NULs), or GNU base-256 when the high bit is set; null when neither. */
function number(b: Uint8Array, at: number, len: number): number | null {
  if (b[at] & 0x80) {
    let v = 0;
    for (let i = at + 1; i < at + len; i++) v = v * 256 + b[i];
    return Number.isSafeInteger(v) ? v : null;
  }
  const s = field(b, at, len).trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : null;
}

function checksumOk(b: Uint8Array): boolean {
  const want = number(b, 148, 8);
  if (want === null) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i];
  return sum === want;
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** True when a block is a tar header (ustar or old-style, valid checksum): how a tar is told from other content. */
export function isTarHeader(b: Uint8Array): boolean {
  return b.length >= BLOCK && !isZero(b.subarray(0, BLOCK)) && checksumOk(b.subarray(0, BLOCK));
}

function paxRecords(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number(text.slice(i, sp));
    if (!Number.isInteger(len) || len <= 0) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * Walks a tar stream (plain, or decompressed by the caller): member headers with their offsets, then each member's
 * data in the chunks it arrived in — nothing is buffered but a straddling 512-byte header. Damage never throws: a
 * header with a bad checksum or size is reported with its offset and the walk looks for the next valid header; a
 * stream that ends inside a member reports the member cut short. What came before the damage was handed out.
 */
export async function* walkTar(src: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<TarEvent> {
  let pos = 0; // offset of the next unread byte
  let head: Uint8Array = new Uint8Array(0); // a partial header carried between chunks
  let cur: TarEntry | null = null;
  let left = 0; // data bytes of `cur` still to come
  let pad = 0; // padding after the data
  let meta: { type: string; parts: Buffer[]; size: number } | null = null;
  let pending: { name?: string; size?: number; mtimeMs?: number } = {};
  let resyncFrom: number | null = null;
  let ended = false;
  const damage = (msg: string, offset: number, code: 'E_BAD_BLOCK' | 'E_TRUNCATED' | 'E_BAD_LENGTH' = 'E_BAD_BLOCK'): TarEvent => ({
    kind: 'damage', error: new ForensicError(code, msg, { file, offset }),
  });

  try {
    for await (const input of src) {
      let c = input;
      while (c.length && !ended) {
        if (left > 0) {
          const n = Math.min(left, c.length);
          const part = c.subarray(0, n);
          if (meta) meta.parts.push(Buffer.from(part));
          else if (cur) yield { kind: 'data', entry: cur, chunk: part };
          left -= n;
          pos += n;
          c = c.subarray(n);
          if (left === 0) {
            if (meta) {
              const text = Buffer.concat(meta.parts).toString('utf8');
              if (meta.type === 'L') pending.name = text.replace(/\0+$/, '');
              else if (meta.type === 'x') {
                const rec = paxRecords(text);
                if (rec.has('path')) pending.name = rec.get('path');
                if (rec.has('size') && /^\d+$/.test(rec.get('size')!)) pending.size = Number(rec.get('size'));
                if (rec.has('mtime') && Number.isFinite(Number(rec.get('mtime')))) pending.mtimeMs = Number(rec.get('mtime')) * 1000;
              }
              meta = null;
            } else if (cur) yield { kind: 'entry-end', entry: cur };
            cur = null;
          }
          continue;
        }
        if (pad > 0) {
          const n = Math.min(pad, c.length);
          pad -= n;
          pos += n;
          c = c.subarray(n);
          continue;
        }
        // a header: gather 512 bytes
        const need = BLOCK - head.length;
        const take = c.subarray(0, need);
        head = head.length ? Buffer.concat([head, take]) : take;
        c = c.subarray(take.length);
        if (head.length < BLOCK) continue;
        const h = head;
        const at = pos;
        head = new Uint8Array(0);
        pos += BLOCK;
        if (isZero(h)) {
          if (resyncFrom === null) ended = true; // end of archive (a second zero block follows)
          continue;
        }
        if (!checksumOk(h)) {
          if (resyncFrom === null) {
            resyncFrom = at;
            yield damage(`tar header checksum does not match: looking for the next member`, at);
          }
          continue;
        }
        const size = number(h, 124, 12);
        if (size === null) {
          if (resyncFrom === null) {
            resyncFrom = at;
            yield damage(`tar header size field is not a number: looking for the next member`, at, 'E_BAD_LENGTH');
          }
          continue;
        }
        if (resyncFrom !== null) resyncFrom = null;
        const type = String.fromCharCode(h[156] || 0x30);
        const dataSize = type === 'x' || type === 'g' || type === 'L' || type === 'K' ? size : pending.size ?? size;
        if (type === 'x' || type === 'L' || type === 'g' || type === 'K') {
          if (size > MAX_META) {
            yield damage(`tar ${type} header of ${size} bytes (over ${MAX_META}): skipped`, at, 'E_BAD_LENGTH');
            cur = null;
          }
          meta = size <= MAX_META && (type === 'x' || type === 'L') ? { type, parts: [], size } : null;
          left = size;
          pad = (BLOCK - (size % BLOCK)) % BLOCK;
          if (left === 0 && meta) meta = null;
          if (!meta && size > 0) {
            // skipped metadata: walk over it as anonymous data
            cur = null;
          }
          continue;
        }
        const prefix = h[257] === 0x75 && field(h, 257, 5) === 'ustar' ? field(h, 345, 155) : '';
        const name = pending.name ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
        const mtime = number(h, 136, 12);
        const entry: TarEntry = {
          name: name.replace(/^\.\//, ''), type, size: dataSize, mtimeMs: pending.mtimeMs ?? (mtime === null ? null : mtime * 1000), headerOffset: at, dataOffset: pos,
        };
        pending = {};
        // links, folders and devices carry no data whatever their size field says
        const hasData = type === '0' || type === '7' || type === '\0';
        left = hasData ? dataSize : 0;
        pad = hasData ? (BLOCK - (dataSize % BLOCK)) % BLOCK : 0;
        cur = entry;
        yield { kind: 'entry', entry };
        if (left === 0) {
          yield { kind: 'entry-end', entry };
          cur = null;
        }
      }
      if (ended) break;
    }
  } catch (err) {
    const e = err instanceof ForensicError ? err : new ForensicError('E_IO', (err as Error).message, { file });
    yield { kind: 'damage', error: new ForensicError(e.code, `${e.message}${cur ? ` (inside member ${cur.name})` : ''}`, { file, offset: pos }) };
    return;
  }
  if (!ended && (left > 0 || head.length > 0)) {
    yield damage(cur ? `archive ends inside member ${cur.name} (${left} of its ${cur.size} bytes missing)` : 'archive ends inside a tar header', pos, 'E_TRUNCATED');
  }
}
