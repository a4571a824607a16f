import path from 'node:path';
import type { Report } from '../model/report.js';

/**
 * Paths in a report relative to the inputs' common folder (or absolute with --absolute-paths), so a report reads the
 * same on the laptop and in the ticket. Every string of the model that holds an input's path as the analysis saw it
 * (evidence, summaries, remedy notes) gets the new form: a known prefix replaced, nothing parsed.
 */
export function rebasePaths(r: Report, opts: { absolute: boolean; cwd?: string }): Report {
  const cwd = opts.cwd ?? process.cwd();
  const given = [...new Set(r.inputs.map((i) => i.path))];
  if (!given.length) return r;
  const abs = new Map(given.map((p) => [p, path.resolve(cwd, p)]));
  const root = commonFolder([...abs.values()]);
  const to = new Map(given.map((p) => [p, opts.absolute ? abs.get(p)! : path.relative(root, abs.get(p)!) || path.basename(p)]));
  const changed = given.filter((p) => to.get(p) !== p).sort((a, b) => b.length - a.length);
  const shown = opts.absolute ? root : path.relative(cwd, root) || '.';
  // the folder → host table names folders, not files: rebased to the same root
  const folders = r.hostFolders?.map((h) => {
    const a = path.resolve(cwd, h.folder);
    return { ...h, folder: opts.absolute ? a : path.relative(root, a) || '.' };
  });
  if (!changed.length) return { ...r, ...(folders ? { hostFolders: folders } : {}), root: shown, absolutePaths: opts.absolute };
  // longest first, and not in the middle of a longer path
  const re = new RegExp(`(?<![\\w./-])(?:${changed.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'g');
  const fix = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, (m) => to.get(m) ?? m);
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = fix(x);
      return o;
    }
    return v;
  };
  return { ...(fix(r) as Report), ...(folders ? { hostFolders: folders } : {}), root: shown, absolutePaths: opts.absolute };
}

/** The deepest folder that holds every one of these absolute paths (a single file: its folder). */
export function commonFolder(files: string[]): string {
  const parts = files.map((f) => path.dirname(f).split(path.sep));
  const first = parts[0];
  let n = first.length;
  for (const p of parts) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}
