import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ForensicError } from '../errors.js';
import { walkRegularFiles, type PassedOver } from '../sources/input.js';

/** `*` and `?` within a name, `**` across folders (shells expand most globs; quoted ones and Windows need this). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Every regular file below `dir` (batch scans each, empty ones too); what is not read goes to `passed` with why. */
async function walk(dir: string, out: string[], passed: PassedOver[]): Promise<void> {
  await walkRegularFiles(dir, async (p) => void out.push(p), passed);
}

/** A file found for a sweep and the path the user gave that it was found under (what incident folders are relative to). */
export interface SweepFile {
  path: string;
  root: string;
}

/**
 * Files named by paths, folders (walked) and globs, sorted, each once (under the first path that named it); `passed`
 * collects what the walks met and did not read.
 */
export async function expandSweep(args: string[], passed: PassedOver[] = []): Promise<SweepFile[]> {
  const out = new Map<string, string>();
  const add = (f: string, root: string) => {
    if (!out.has(f)) out.set(f, root);
  };
  for (const a of args) {
    if (/[*?]/.test(a)) {
      const first = a.search(/[*?]/);
      const base = a.slice(0, a.lastIndexOf('/', first) + 1) || '.';
      const re = globToRegExp(path.normalize(a).replace(/^\.\//, ''));
      const files: string[] = [];
      await walk(base, files, passed);
      for (const f of files) if (re.test(path.normalize(f))) add(f, base);
      continue;
    }
    const st = await fsp.stat(a).catch(() => null);
    if (!st) throw new ForensicError('E_IO', 'no such file or folder', { file: a });
    if (st.isDirectory()) {
      const files: string[] = [];
      await walk(a, files, passed);
      files.forEach((f) => add(f, a));
    } else if (st.isFile()) add(a, a);
    // a FIFO or device could block or never end
    else throw new ForensicError('E_IO', 'not a regular file: refused (reading it could block or never end)', { file: a });
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, root]) => ({ path: p, root }));
}
