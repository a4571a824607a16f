import { createHash } from 'node:crypto';
import path from 'node:path';
import { toRfc3339 } from '../model/instant.js';
import { sourceOf, type InputKind } from '../sources/registry.js';

/** What the grouping needs of one file: its kind, the hosts it names, its time span, its size. */
export interface Scanned {
  path: string;
  /** the path the user gave that this file was found under (a folder, a glob's base, or the file itself) */
  root?: string;
  /** an archive member (`bundle.tar.xz:var/log/messages`): the archive it is read from */
  container?: string;
  kind: InputKind;
  bytes: number;
  first: string | null;
  last: string | null;
  hosts: string[];
  error?: string;
}

export interface Group {
  /** stable across runs and machines: start time + a hash of the member paths */
  id: string;
  files: string[];
  /** the incident folder(s) its files lie in, relative to the path the user gave (`seed-snat`), sorted */
  folders: string[];
  /** each file relative to the path the user gave, in the order of `files` */
  members: string[];
  bytes: number;
  first: string | null;
  last: string | null;
}

/** Captures closer than this are one incident (tcpdump -G / ring buffers leave no gap; separate incidents do). */
const SLACK = 5n * 1_000_000_000n;

/**
 * The incident folder of a file: the first `depth` folders below the path the user gave (`archive/<incident>/<host>/…`
 * → `<incident>` at depth 1); a file with fewer folders above it belongs to the deepest one it has, and a file directly
 * in the given folder to that folder itself (`.`).
 */
export function incidentFolder(file: string, root: string | undefined, depth = 1): string {
  if (root === undefined) return path.dirname(file);
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..')) return '.';
  const dirs = rel.split(path.sep).slice(0, -1);
  return dirs.length ? dirs.slice(0, depth).join('/') : '.';
}

/** A file's name relative to the path the user gave (the given file itself: its base name). */
export function memberName(file: string, root: string | undefined): string {
  if (root === undefined) return file;
  const rel = path.relative(root, file);
  return rel === '' || rel.startsWith('..') ? path.basename(file) : rel.split(path.sep).join('/');
}

/**
 * Where a file lies for grouping: itself, or for an archive member the archive taken as a folder
 * (`inc/gw-a.tar.xz:var/log/messages` → `inc/gw-a.tar.xz/var/log/messages`), so a bundle's members stay together and
 * with the files beside the bundle.
 */
function placeOf(f: Scanned): string {
  return f.container === undefined ? f.path : `${f.container}/${f.path.slice(f.container.length + 1)}`;
}

export interface GroupOptions {
  /** one incident per folder this many levels below each given path (1: the folders directly under it) */
  perDir?: number;
}

/**
 * Files into incidents. Without perDir, by the span of their VRRP evidence (adverts, keepalived lines, VRRP conntrack
 * entries — what the scan reports as a file's span): captures and conntrack dumps whose spans overlap (within 5 s) are
 * one incident whatever host wrote them; logs join every incident they overlap; files without VRRP evidence
 * (keepalived.conf, rulesets, a capture of other traffic) join every incident that has a file in their folder or its
 * parent. With perDir, one incident per folder that many levels below each given path. Files of no known kind are
 * left out.
 */
export function groupFiles(files: Scanned[], opts: GroupOptions = {}): Group[] {
  const known = files.filter((f) => f.kind !== 'unknown');
  const buckets: Scanned[][] = [];
  if (opts.perDir) {
    const byDir = new Map<string, Scanned[]>();
    for (const f of known) {
      const key = `${f.root ?? ''}\0${incidentFolder(placeOf(f), f.root, opts.perDir)}`;
      byDir.set(key, [...(byDir.get(key) ?? []), f]);
    }
    buckets.push(...byDir.values());
  } else {
    // captures and conntrack dumps drive the grouping; a log usually spans a day and would glue every incident of
    // that day into one, so logs join each group they overlap instead (when there are captures at all)
    const timed = known.filter((f) => f.first !== null);
    const joins = (f: Scanned) => sourceOf(f.kind)?.joinsIncidents === true;
    const hasPrimary = timed.some((f) => !joins(f));
    const primary = timed.filter((f) => !hasPrimary || !joins(f)).sort((a, b) => (BigInt(a.first!) < BigInt(b.first!) ? -1 : 1));
    let cur: Scanned[] = [];
    let end = 0n;
    for (const f of primary) {
      const a = BigInt(f.first!);
      const b = BigInt(f.last ?? f.first!);
      if (cur.length && a > end + SLACK) {
        buckets.push(cur);
        cur = [];
      }
      cur.push(f);
      end = cur.length === 1 || b > end ? b : end;
    }
    if (cur.length) buckets.push(cur);
    if (hasPrimary) {
      for (const log of timed.filter(joins)) {
        const a = BigInt(log.first!);
        const b = BigInt(log.last ?? log.first!);
        const hits = buckets.filter((bk) => bk.some((f) => BigInt(f.first!) <= b + SLACK && a <= BigInt(f.last ?? f.first!) + SLACK));
        if (hits.length) for (const bk of hits) bk.push(log);
        else buckets.push([log]);
      }
    }
    const untimed = known.filter((f) => f.first === null);
    for (const u of untimed) {
      // members of one archive are near each other whatever folders they had inside it
      const box = (f: Scanned) => (f.container === undefined ? path.dirname(f.path) : path.dirname(f.container));
      const dir = box(u);
      const near = (f: Scanned) => box(f) === dir || path.dirname(box(f)) === path.dirname(dir) || (u.container !== undefined && f.container === u.container);
      const hits = buckets.filter((b) => b.some((f) => near(f)));
      if (hits.length) for (const b of hits) b.push(u);
      else buckets.push([u]);
    }
  }
  return buckets.map((b) => {
    b.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    const paths = b.map((f) => f.path);
    const depth = opts.perDir || 1;
    const folders = [...new Set(b.map((f) => (f.root === undefined ? path.dirname(placeOf(f)) : incidentFolder(placeOf(f), f.root, depth))))].sort();
    const firsts = b.map((f) => f.first).filter((x): x is string => x !== null).map(BigInt);
    const lasts = b.map((f) => f.last ?? f.first).filter((x): x is string => x !== null).map(BigInt);
    const first = firsts.length ? firsts.reduce((x, y) => (x < y ? x : y)) : null;
    const last = lasts.length ? lasts.reduce((x, y) => (x > y ? x : y)) : null;
    const stamp = first === null ? 'untimed' : toRfc3339(first, 0).replace(/[-:]/g, '').replace('T', '-').replace('Z', '');
    const hash = createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 10);
    return { id: `${stamp}-${hash}`, files: paths, folders, members: b.map((f) => memberName(f.path, f.root)), bytes: b.reduce((s, f) => s + f.bytes, 0), first: first?.toString() ?? null, last: last?.toString() ?? null };
  }).sort((a, b) => a.id.localeCompare(b.id));
}
