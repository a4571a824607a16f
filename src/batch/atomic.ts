import { promises as fsp } from 'node:fs';

/** Writes through a temporary name and renames: a file that exists is complete (what --resume relies on). */
export async function writeAtomic(file: string, text: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.partial`;
  await fsp.writeFile(tmp, text);
  await fsp.rename(tmp, file);
}
