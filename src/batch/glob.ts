import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ForensicError } from '../errors.js';

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

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** A file found for a sweep and the path the user gave that it was found under (what incident folders are relative to). */
export interface SweepFile {
  path: string;
  root: string;
}

/** Files named by paths, folders (walked) and globs, sorted, each once (under the first path that named it). */
export async function expandSweep(args: string[]): Promise<SweepFile[]> {
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
      await walk(base, files);
      for (const f of files) if (re.test(path.normalize(f))) add(f, base);
      continue;
    }
    const st = await fsp.stat(a).catch(() => null);
    if (!st) throw new ForensicError('E_IO', 'no such file or folder', { file: a });
    if (st.isDirectory()) {
      const files: string[] = [];
      await walk(a, files);
      files.forEach((f) => add(f, a));
    } else if (st.isFile()) add(a, a);
    // a FIFO or device could block or never end
    else throw new ForensicError('E_IO', 'not a regular file: refused (reading it could block or never end)', { file: a });
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, root]) => ({ path: p, root }));
}
