import { createWriteStream, promises as fsp, unlinkSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { ForensicError } from '../errors.js';

/** Temporary files not yet renamed: removed if the process exits first, so no half-written output is left behind. */
const pending = new Set<string>();
let exitHook = false;

function track(tmp: string): void {
  pending.add(tmp);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const t of pending) {
      try {
        unlinkSync(t);
      } catch {
        // already gone
      }
    }
  });
}

function coded(err: unknown, file: string): ForensicError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOSPC' ? 'ENOSPC: no space left on device' : e.code && e.syscall ? `${e.code}: cannot ${e.syscall}` : e.message;
  return new ForensicError('E_IO', `${why} while writing; the partial file was removed`, { file });
}

/**
 * One output file written through a temporary name in the same folder and renamed when complete: a file that exists
 * under its final name is whole (an interrupted run leaves the previous file or none, never a truncated one — what
 * --resume relies on too). A path that is not a regular file (/dev/stdout, a FIFO) is written in place.
 */
export class AtomicFile {
  private done = false;
  private constructor(
    readonly file: string,
    private readonly tmp: string | null,
    readonly stream: WriteStream,
  ) {}

  static async open(file: string): Promise<AtomicFile> {
    // a link is followed, so the link stays and its target is replaced
    const target = await fsp.realpath(file).catch(() => file);
    const st = await fsp.stat(target).catch(() => null);
    const inPlace = st !== null && !st.isFile();
    const tmp = inPlace ? null : path.join(path.dirname(target), `${path.basename(target)}.${process.pid}.partial`);
    if (tmp) track(tmp);
    const stream = createWriteStream(tmp ?? target, { flags: 'w' });
    try {
      await once(stream, 'open');
    } catch (err) {
      if (tmp) pending.delete(tmp);
      throw coded(err, file);
    }
    return new AtomicFile(tmp ? target : file, tmp, stream);
  }

  async write(text: string | Uint8Array): Promise<void> {
    try {
      if (!this.stream.write(text)) await once(this.stream, 'drain');
    } catch (err) {
      await this.abort();
      throw coded(err, this.file);
    }
  }

  /** Flushes, closes and renames to the final name. */
  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      this.stream.end();
      await once(this.stream, 'close');
      if (this.tmp) await fsp.rename(this.tmp, this.file);
    } catch (err) {
      await this.removeTmp();
      throw coded(err, this.file);
    }
    if (this.tmp) pending.delete(this.tmp);
  }

  /** Drops what was written: the final name keeps what it had. */
  async abort(): Promise<void> {
    this.done = true;
    this.stream.destroy();
    await this.removeTmp();
  }

  private async removeTmp(): Promise<void> {
    if (!this.tmp) return;
    await fsp.unlink(this.tmp).catch(() => {});
    pending.delete(this.tmp);
  }
}

type Writer = (file: string, text: string | Uint8Array) => Promise<void>;

/**
 * Writes through a temporary name and renames: a file that exists is complete (what --resume relies on). When the
 * write fails (a full disk: ENOSPC) the temporary file is removed and the error names the file it was for, with a
 * code — never a bare `ENOSPC` and a `*.partial` left behind.
 */
export async function writeAtomic(file: string, text: string | Uint8Array, write: Writer = (f, t) => fsp.writeFile(f, t)): Promise<void> {
  const tmp = `${file}.${process.pid}.partial`;
  try {
    await write(tmp, text);
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.unlink(tmp).catch(() => {});
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOSPC' ? 'ENOSPC: no space left on device' : e.code && e.syscall ? `${e.code}: cannot ${e.syscall}` : e.message;
    throw new ForensicError('E_IO', `${why} while writing; the partial file was removed`, { file });
  }
}

/** The temporary files this process may have left in a folder (an interrupted write): removed on exit. */
export function partialSuffix(): string {
  return `.${process.pid}.partial`;
}
