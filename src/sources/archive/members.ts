import { createReadStream, promises as fsp, statSync } from 'node:fs';
import path from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { ForensicError } from '../../errors.js';
import { classifyContent, type Detected } from '../detect.js';
import type { OpenedInput } from '../input.js';
import { decompress, sniffCompression, type Compression } from './decompress.js';
import { isSosMeta, SOS_META_SUFFIXES, sosFacts, type SosFacts } from './sos.js';
import { isTarHeader, walkTar } from './tar.js';

/**
 * Archives read in place (tar — plain, gzip, xz, zstd — and zip), their members a kind of input location:
 * `bundle.tar.xz:var/log/messages` (a name inside a sos report's top folder is given without it), and one level of
 * nesting, `ticket.zip:sosreport-gw-a.tar.xz:var/log/messages`. An archive is walked once to list its members and
 * sniff each like a file on disk; small members of a known kind are kept from that walk (a bounded cache), the others
 * are streamed again when read (a plain tar or a zip by seeking, a compressed tar from its start).
 */

export interface Member {
  /** the name inside the archive, without a sos report's top folder */
  name: string;
  /** the name the archive uses */
  raw: string;
  locator: string;
  size: number;
  mtimeMs: number | null;
  detected: Detected;
  /** the member's bytes as stored (gzip members still gzipped), when small enough to keep from the listing walk */
  content?: Buffer;
  /** tar: where its data starts in the (decompressed) archive; zip: its entry */
  dataOffset?: number;
  entry?: Entry;
}

export interface Listing {
  /** the archive's own location: a path, or the locator of a nested archive */
  archive: string;
  kind: 'tar' | 'zip';
  compression: Compression;
  members: Map<string, Member>;
  nested: Map<string, Listing>;
  /** damage between members, a nested archive not read, … (each names the member and offset) */
  problems: ForensicError[];
  /** what the bundle says of itself: hostname, collection time */
  sos: SosFacts;
  /** members of no known kind (not listed one by one: a sos report has thousands) */
  skipped: number;
  open: () => AsyncIterable<Uint8Array>;
  zip?: ZipFile;
}

/** How much of each member is sniffed, as detect.ts does for a file. */
const HEAD = 16 * 1024;
/** Members kept from the listing walk: each up to this size, all of them together up to BUDGET. */
const KEEP_ONE = 4 << 20;
const BUDGET = 48 << 20;

/** Listings kept per process: a few, so a sweep over many bundles stays within a few times BUDGET. */
const KEEP_LISTINGS = 4;
const listings = new Map<string, Promise<Listing | null>>();

/** The archive kind of some first bytes (decompressed when compressed), or null. */
async function sniffArchive(open: () => AsyncIterable<Uint8Array>, file: string): Promise<{ kind: 'tar' | 'zip'; compression: Compression } | null> {
  const raw = await firstBytes(open(), 8);
  if (raw.length >= 4 && raw[0] === 0x50 && raw[1] === 0x4b && (raw[2] === 3 || raw[2] === 5) && (raw[3] === 4 || raw[3] === 6)) return { kind: 'zip', compression: 'none' };
  const compression = sniffCompression(raw);
  let head: Buffer;
  try {
    head = await firstBytes(decompress(compression, open(), file), 512);
  } catch {
    return null;
  }
  return isTarHeader(head) ? { kind: 'tar', compression } : null;
}

async function firstBytes(src: AsyncIterable<Uint8Array>, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  const it = src[Symbol.asyncIterator]();
  try {
    while (have < n) {
      const r = await it.next();
      if (r.done) break;
      parts.push(Buffer.from(r.value));
      have += r.value.length;
    }
  } finally {
    await it.return?.();
  }
  return Buffer.concat(parts).subarray(0, n);
}

function fileChunks(file: string, start = 0, end?: number): AsyncIterable<Uint8Array> {
  return createReadStream(file, { start, end, highWaterMark: 1 << 20 });
}

/** Files found not to be archives (most inputs): remembered apart, so they never push a listing out. */
const notArchives = new Set<string>();

/** The listing of the archive at `file` (a path), or null when it is no archive. Listed once per process. */
export async function listArchive(file: string): Promise<Listing | null> {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  if (!st.isFile() || st.size < 22) return null;
  const key = `${file}\0${st.size}\0${st.mtimeMs}`;
  if (notArchives.has(key)) return null;
  let p = listings.get(key);
  if (!p) {
    if (!(await headIsArchive(file))) {
      if (notArchives.size >= 100_000) notArchives.clear();
      notArchives.add(key);
      return null;
    }
    p = list(file, () => fileChunks(file), 0);
    listings.set(key, p);
    while (listings.size > KEEP_LISTINGS) {
      const [oldest, old] = listings.entries().next().value!;
      listings.delete(oldest);
      void old.then((l) => l?.zip?.close());
    }
  }
  return p;
}

/** A cheap first look at a file on disk (its first 64 KiB): could it be an archive? */
async function headIsArchive(file: string): Promise<boolean> {
  let head: Buffer;
  try {
    const fh = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
  return (await sniffArchive(async function* () {
    yield head;
  }, file)) !== null;
}

async function list(archive: string, open: () => AsyncIterable<Uint8Array>, depth: number, content?: Buffer): Promise<Listing | null> {
  const kind = await sniffArchive(open, archive);
  if (!kind) return null;
  const l: Listing = { archive, ...kind, members: new Map(), nested: new Map(), problems: [], sos: { host: null, collectedAt: null }, skipped: 0, open };
  type Found = { raw: string; size: number; mtimeMs: number | null; head: Buffer; content?: Buffer; dataOffset?: number; entry?: Entry; detected?: Detected };
  const found: Found[] = [];
  let budget = BUDGET;
  // the one top folder all entries share (a sos report's), learnt as they pass: '' once two differ
  let top: string | undefined;
  // decided as each member passes, so a bundle of thousands of files holds only what is kept: nested archives and the
  // bundle's own facts (hostname, date), and members of a known kind (their bytes when small); the rest is counted
  const sift = (f: Found) => {
    const first = f.raw.includes('/') ? f.raw.split('/')[0] : '';
    top = top === undefined ? first : top === first ? top : '';
    const meta = SOS_META_SUFFIXES.some((m) => f.raw === m || f.raw.endsWith('/' + m));
    if (!(depth === 0 && isNestedArchive(f.head)) && !meta) {
      const head = memberHead(f.head);
      f.detected = classifyContent('', head.bytes, head.gzip);
      if (f.detected.kind === 'unknown') {
        l.skipped++;
        return;
      }
    }
    if (f.content) budget -= f.content.length;
    found.push(f);
  };
  if (kind.kind === 'tar') {
    let cur: Found | null = null;
    let parts: Buffer[] = [];
    let have = 0;
    let keep = false;
    for await (const ev of walkTar(decompress(kind.compression, open(), archive), archive)) {
      if (ev.kind === 'damage') l.problems.push(ev.error);
      else if (ev.kind === 'entry') {
        const regular = ev.entry.type === '0' || ev.entry.type === '\0' || ev.entry.type === '7';
        cur = regular ? { raw: ev.entry.name, size: ev.entry.size, mtimeMs: ev.entry.mtimeMs, head: Buffer.alloc(0), dataOffset: ev.entry.dataOffset } : null;
        parts = [];
        have = 0;
        keep = cur !== null && ev.entry.size <= KEEP_ONE && ev.entry.size <= budget;
      } else if (ev.kind === 'data' && cur) {
        if (keep || have < HEAD) {
          parts.push(Buffer.from(keep ? ev.chunk : ev.chunk.subarray(0, HEAD - have)));
          have += ev.chunk.length;
        }
      } else if (ev.kind === 'entry-end' && cur) {
        const bytes = Buffer.concat(parts);
        cur.head = bytes.subarray(0, HEAD);
        if (keep) cur.content = bytes;
        sift(cur);
        cur = null;
      }
    }
    // a member the stream ended inside is still listed: what it had is read, and its reader names the cut
    if (cur) sift({ ...cur, head: Buffer.concat(parts).subarray(0, HEAD) });
  } else {
    let zip: ZipFile;
    if (depth > 0 && !content) {
      // a zip needs its central directory (at its end): one inside another archive is read only when it was kept
      l.problems.push(new ForensicError('E_BAD_LENGTH', `nested zip over ${KEEP_ONE >> 20} MiB inside another archive: not read (extract it, or give it on its own)`, { file: archive }));
      return l;
    }
    try {
      const yauzl = await import('yauzl');
      zip = content ? await yauzl.fromBufferPromise(content, { autoClose: false }) : await yauzl.openPromise(archive, { autoClose: false });
    } catch (err) {
      l.problems.push(new ForensicError('E_TRUNCATED', `zip archive unreadable (${(err as Error).message}): its central directory is damaged or cut off`, { file: archive }));
      return l;
    }
    l.zip = zip;
    try {
      for await (const entry of (zip as unknown as { eachEntry(): AsyncIterable<Entry> }).eachEntry()) {
        if (entry.fileName.endsWith('/')) continue;
        const keep = entry.uncompressedSize <= KEEP_ONE && entry.uncompressedSize <= budget;
        try {
          const bytes = await readZipEntry(zip, entry, keep ? Infinity : HEAD);
          sift({ raw: entry.fileName, size: entry.uncompressedSize, mtimeMs: entry.getLastModDate().getTime(), head: bytes.subarray(0, HEAD), content: keep ? bytes : undefined, entry });
        } catch (err) {
          l.problems.push(new ForensicError('E_BAD_BLOCK', `member ${entry.fileName}: ${(err as Error).message}`, { file: archive, offset: entry.relativeOffsetOfLocalHeader }));
        }
      }
    } catch (err) {
      l.problems.push(new ForensicError('E_BAD_BLOCK', `zip central directory damaged (${(err as Error).message})`, { file: archive }));
    }
  }
  const root = top ? `${top}/` : '';
  l.sos = sosFacts(found.map((f) => ({ name: f.raw.slice(root.length), content: f.content })));
  for (const f of found) {
    const name = f.raw.slice(root.length);
    const locator = `${archive}:${name}`;
    if (!f.detected) {
      // the bundle's own facts (used above, not evidence), or a nested archive
      if (isSosMeta(name)) continue;
      const inner = depth === 0 && isNestedArchive(f.head) ? await list(locator, () => memberRaw(l, f), depth + 1, f.content).catch(() => null) : null;
      if (inner) {
        l.nested.set(name, inner);
        continue;
      }
      const head = memberHead(f.head);
      f.detected = classifyContent(locator, head.bytes, head.gzip);
      if (f.detected.kind === 'unknown') {
        l.skipped++;
        continue;
      }
    }
    l.members.set(name, { name, raw: f.raw, locator, size: f.size, mtimeMs: f.mtimeMs, detected: { ...f.detected, path: locator }, content: f.content, dataOffset: f.dataOffset, entry: f.entry });
  }
  return l;
}

function isNestedArchive(head: Buffer): boolean {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return true;
  if (isTarHeader(head)) return true;
  const c = sniffCompression(head);
  if (c === 'xz' || c === 'zstd') return true;
  if (c === 'gzip') {
    const inner = memberHead(head);
    return isTarHeader(inner.bytes);
  }
  return false;
}

/** A member's first bytes as detect.ts would see them: gunzipped when gzip (from a few KB only: never a bomb). */
function memberHead(head: Buffer): { bytes: Buffer; gzip: boolean } {
  if (sniffCompression(head) !== 'gzip') return { bytes: head, gzip: false };
  try {
    return { bytes: gunzipSync(head.subarray(0, 4096), { finishFlush: zc.Z_SYNC_FLUSH }).subarray(0, HEAD), gzip: true };
  } catch {
    return { bytes: Buffer.alloc(0), gzip: true };
  }
}

async function readZipEntry(zip: ZipFile, entry: Entry, limit: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const c of stream) {
      parts.push(c as Buffer);
      have += (c as Buffer).length;
      if (have >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts);
}

/** A member's bytes as stored, streamed: from the kept copy, by seeking (plain tar, zip), or by walking the archive. */
export async function* memberRaw(l: Listing, m: { raw: string; content?: Buffer; dataOffset?: number; size: number; entry?: Entry }): AsyncGenerator<Uint8Array> {
  if (m.content) {
    yield m.content;
    return;
  }
  if (l.kind === 'zip') {
    if (!l.zip || !m.entry) return;
    const stream = await l.zip.openReadStreamPromise(m.entry);
    try {
      for await (const c of stream) yield c as Buffer;
    } finally {
      stream.destroy();
    }
    return;
  }
  if (l.compression === 'none' && !l.archive.includes(':') && m.dataOffset !== undefined) {
    if (m.size > 0) yield* fileChunks(l.archive, m.dataOffset, m.dataOffset + m.size - 1);
    return;
  }
  for await (const ev of walkTar(decompress(l.compression, l.open(), l.archive), l.archive)) {
    if (ev.kind === 'damage') throw ev.error;
    if ((ev.kind === 'data' || ev.kind === 'entry-end') && ev.entry.name === m.raw && ev.entry.dataOffset === (m.dataOffset ?? ev.entry.dataOffset)) {
      if (ev.kind === 'entry-end') return;
      yield ev.chunk;
    }
  }
}

/** `a.tar.xz:var/log/messages` → the archive path and the rest, when the part before a colon is an existing file. */
function splitLocator(name: string): { archive: string; rest: string } | null {
  if (name === '-' || !name.includes(':')) return null;
  try {
    if (statSync(name).isFile()) return null;
  } catch {
    // not a file of that name: maybe a member
  }
  for (let i = name.indexOf(':'); i > 0; i = name.indexOf(':', i + 1)) {
    const archive = name.slice(0, i);
    try {
      if (statSync(archive).isFile()) return { archive, rest: name.slice(i + 1) };
    } catch {
      // keep looking
    }
  }
  return null;
}

/** The member a locator names (and its archive's listing), or null when the name is no member locator. */
export async function resolveMember(name: string): Promise<{ listing: Listing; member: Member } | null> {
  const s = splitLocator(name);
  if (!s) return null;
  const top = await listArchive(s.archive);
  if (!top) return null;
  const direct = top.members.get(s.rest);
  if (direct) return { listing: top, member: direct };
  for (const [inner, l] of top.nested) {
    if (!s.rest.startsWith(inner + ':')) continue;
    const m = l.members.get(s.rest.slice(inner.length + 1));
    if (m) return { listing: l, member: m };
  }
  return null;
}

/** Every member location of a known kind in the archive at `file` (nested ones included), or null when no archive. */
export async function expandArchive(file: string): Promise<{ members: string[]; listing: Listing } | null> {
  const l = await listArchive(file);
  if (!l) return null;
  const members = [...l.members.values()].map((m) => m.locator);
  for (const inner of l.nested.values()) members.push(...[...inner.members.values()].map((m) => m.locator));
  return { members: members.sort(), listing: l };
}

/** Damage found while listing an archive (its own and its nested archives'), as one-line problems. */
export function archiveProblems(l: Listing): ForensicError[] {
  return [...l.problems, ...[...l.nested.values()].flatMap((n) => n.problems)];
}

/**
 * detect.ts for a member (its kind from the listing, not a second read) and for a damaged archive named as an input
 * (unknown, with the damage as the reason). Null for anything else.
 */
export async function detectMember(name: string): Promise<Detected | null> {
  const r = await resolveMember(name);
  if (r) return r.member.detected;
  const l = await listArchive(name);
  if (!l) return null;
  const damage = archiveProblems(l);
  const counts = `${l.members.size} member(s) of a known kind read in place, ${l.skipped} of no known kind skipped`;
  return {
    path: name, kind: 'unknown', gzip: false, ...(damage.length ? { code: damage[0].code } : {}),
    reason: damage.length ? `${l.kind} archive damaged: ${damage.map((d) => d.toLine()).join('; ')} (${counts})` : `${l.kind} archive (${counts})`,
  };
}

/** What stat would say of a member: its size, and as its time the bundle's collection time when known, else its own. */
export async function memberStat(name: string): Promise<{ size: number; mtimeMs: number; collected: boolean } | null> {
  const r = await resolveMember(name);
  if (!r) return null;
  const c = r.listing.sos.collectedAt;
  if (c !== null) return { size: r.member.size, mtimeMs: Number(c / 1_000_000n), collected: true };
  return { size: r.member.size, mtimeMs: r.member.mtimeMs ?? 0, collected: false };
}

/** The host a bundle names for itself (sos: `hostname`), for a member of it. */
export async function memberHost(name: string): Promise<string | null> {
  return (await resolveMember(name))?.listing.sos.host ?? null;
}

/** Where a member's archive lies on disk (the outermost archive): what folders and hosts are judged by. */
export function containerOf(name: string): string | null {
  return splitLocator(name)?.archive ?? null;
}

/** Reads a whole regular file or member (decompressing gzip content), up to `limit` bytes. */
export async function readWhole(name: string, limit: number): Promise<Buffer> {
  const { openInput } = await import('../input.js');
  const input = await openInput(name);
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const c of input.chunks) {
      have += c.length;
      if (have > limit) throw new ForensicError('E_BAD_LENGTH', `larger than ${limit >> 20} MiB: not read`, { file: name });
      parts.push(Buffer.from(c));
    }
  } finally {
    input.close();
  }
  return Buffer.concat(parts);
}

/** The folder a member is judged to lie in for host and incident purposes: the folder holding its archive. */
export function memberFolder(name: string): string | null {
  const a = containerOf(name);
  return a === null ? null : path.dirname(a);
}

/**
 * Opens a member as openInput opens a file: its content (gunzipped when it is gzip, as a file would be), its first
 * bytes for sniffing, chunk by chunk. Null when the name is no member locator.
 */
export async function openMember(name: string): Promise<OpenedInput | null> {
  const r = await resolveMember(name);
  if (!r) return null;
  const raw = memberRaw(r.listing, r.member);
  const first = await raw.next();
  const firstChunk = first.done ? new Uint8Array(0) : first.value;
  const gzip = sniffCompression(firstChunk) === 'gzip';
  async function* all(): AsyncGenerator<Uint8Array> {
    if (firstChunk.length) yield firstChunk;
    yield* raw;
  }
  const content = decompress(gzip ? 'gzip' : 'none', all(), name)[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let have = 0;
  try {
    while (have < 64) {
      const c = await content.next();
      if (c.done) break;
      parts.push(Buffer.from(c.value));
      have += c.value.length;
    }
  } catch (err) {
    await raw.return(undefined);
    throw err instanceof ForensicError ? new ForensicError(err.code, err.message, { file: name, offset: err.offset }) : err;
  }
  const head = Buffer.concat(parts);
  async function* chunks(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (;;) {
      const c = await content.next();
      if (c.done) return;
      yield Buffer.isBuffer(c.value) ? c.value : Buffer.from(c.value.buffer, c.value.byteOffset, c.value.length);
    }
  }
  return {
    name,
    gzip,
    head: head.subarray(0, 64),
    chunks: chunks(),
    close() {
      void content.return?.();
      void raw.return(undefined);
    },
  };
}

/** stat for a file or a member: size, and a time (a member's: its bundle's collection time when known). */
export async function statInput(name: string): Promise<{ size: number; mtimeMs: number }> {
  const m = await memberStat(name);
  if (m) return m;
  const { promises: fsp } = await import('node:fs');
  return fsp.stat(name);
}
