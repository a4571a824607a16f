import { createReadStream, promises as fsp, readSync, type Stats } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import path from 'node:path';
import { ForensicError, asForensicError } from '../errors.js';
import { archiveProblems, expandArchive, openMember, resolveMember } from './archive/members.js';

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
  /** `device:inode`: the same file however it is reached (links, hard links); what an output path is checked against */
  id: string;
}

/** What a folder walk met and did not read, with why (a FIFO, a dangling link, a directory cycle, …). */
export interface PassedOver {
  path: string;
  reason: string;
}

export interface Expanded {
  files: InputPath[];
  /** entries of the given folders that are not read, each with its reason */
  passedOver: PassedOver[];
  /** empty regular files met in the given folders: counted, not listed (an archive can hold 100,000 of them) */
  emptyFiles: number;
}

/** Why a file that is not a regular file is not read: reading a FIFO or a device can block or never end. */
function specialKind(st: Stats): string | null {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (!st.isFile() && !st.isDirectory()) return 'not a regular file';
  return null;
}

/** Why a path met in a walk cannot be read (the errno in words). */
function whyUnreachable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'a dangling symbolic link';
  if (code === 'ELOOP') return 'a symbolic link loop';
  if (code === 'ENAMETOOLONG') return 'path too long';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot be read (${code ?? (err as Error).message})`;
}

const idOf = (st: Stats) => `${st.dev}:${st.ino}`;

/**
 * Expands directories (sorted, recursive, hidden entries skipped) so a folder of evidence is one argument. Only
 * regular files are read: a FIFO or device named on the command line is refused at once (it could block forever or
 * never end), one met in a folder is passed over with its reason, as are dangling links, link loops, over-long paths
 * and unreadable folders. Directory cycles (through links or bind mounts) are recognised by device and inode.
 */
export async function expandPaths(paths: string[]): Promise<Expanded> {
  const out: Expanded = { files: [], passedOver: [], emptyFiles: 0 };
  // a file is read once however often it is named (a folder and a file in it, two spellings, a link): read twice, each
  // of its lines would count twice — a second transition, a second master change
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      out.files.push({ path: p, fromDirectory: false, id: '-' });
      continue;
    }
    let st;
    try {
      st = await fsp.stat(p);
    } catch (err) {
      // a member of an archive named by its path inside it (archive.tar/gw-a/syslog)
      if (await resolveMember(p)) {
        out.files.push({ path: p, fromDirectory: false, id: `member:${p}` });
        continue;
      }
      throw asForensicError(err, p);
    }
    const special = specialKind(st);
    if (special) {
      throw new ForensicError('E_IO', `${special}, not a regular file: refused (reading it could block or never end; pipe it to standard input with - instead)`, { file: p });
    }
    if (st.isDirectory()) {
      await walkRegularFiles(p, async (f, fst) => {
        if (fst.size === 0) out.emptyFiles++;
        else await addFile(f, true, idOf(fst), out, seen);
      }, out.passedOver, new Set([idOf(st)]));
    } else await addFile(p, false, idOf(st), out, seen);
  }
  return out;
}

/**
 * A regular file, or an archive (tar, zip, sos report) expanded into its members of a known kind, read in place
 * (src/sources/archive/); a damaged archive stays an input itself, so its damage is reported. Members carry the
 * archive's device:inode (an -o naming the archive is refused).
 */
async function addFile(p: string, fromDirectory: boolean, id: string, out: Expanded, seen: Set<string>): Promise<void> {
  // a file (or an archive's member: the archive's id and the member's path inside it) met before is said, not read again
  const once = (path: string, key: string): boolean => {
    if (seen.has(key)) {
      out.passedOver.push({ path, reason: SAME_FILE });
      return false;
    }
    seen.add(key);
    return true;
  };
  const archive = await expandArchive(p);
  if (archive) for (const m of archive.members) if (once(m, `${id}\0${m.slice(p.length)}`)) out.files.push({ path: m, fromDirectory: true, id });
  if ((!archive || archiveProblems(archive.listing).length || !archive.members.length) && once(p, id)) out.files.push({ path: p, fromDirectory, id });
}

/** why a file named a second time is not read again */
const SAME_FILE = 'the same file as an input named before it (read once)';

/**
 * Every regular file below `dir` (hidden entries skipped, links followed: a link to evidence is evidence), handed to
 * `onFile` in name order. What is not read is said in `passedOver`, with why: a FIFO or device, a dangling link, a link
 * loop, an over-long path, an unreadable folder, a directory cycle. `ancestors`: the folders on the way down
 * (device:inode), so a link back up is a cycle, not 40 levels of repeats. One walk for analyze and batch alike.
 */
export async function walkRegularFiles(
  dir: string, onFile: (p: string, st: Stats) => Promise<void>, passedOver: PassedOver[], ancestors?: Set<string>,
): Promise<void> {
  let names: string[];
  try {
    ancestors ??= new Set([idOf(await fsp.stat(dir))]);
    names = (await fsp.readdir(dir)).filter((e) => !e.startsWith('.')).sort();
  } catch (err) {
    passedOver.push({ path: dir, reason: whyUnreachable(err) });
    return;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    let st;
    try {
      st = await fsp.stat(p);
    } catch (err) {
      passedOver.push({ path: p, reason: whyUnreachable(err) });
      continue;
    }
    if (st.isDirectory()) {
      const id = idOf(st);
      if (ancestors.has(id)) {
        passedOver.push({ path: p, reason: 'a directory cycle (the same folder as one it is inside)' });
        continue;
      }
      await walkRegularFiles(p, onFile, passedOver, new Set([...ancestors, id]));
      continue;
    }
    const special = specialKind(st);
    if (special) passedOver.push({ path: p, reason: `${special}, not a regular file` });
    else await onFile(p, st);
  }
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
    const member = await openMember(name);
    if (member) return member;
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
    // inflate output in 256 KiB pieces (paired whole-process timing, CPU): on one gzip capture 1 MiB is 0.89x and 256 KiB 0.94x of
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

// kept here for the modules that import them from input.ts; they live apart so a worker can load them alone
export { describeHead, notA } from './head.js';
