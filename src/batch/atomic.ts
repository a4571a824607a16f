import { promises as fsp } from 'node:fs';
import { ForensicError } from '../errors.js';

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
