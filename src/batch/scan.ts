import { archiveProblems, containerOf, expandArchive, statInput } from '../sources/archive/members.js';
import { detectKind } from '../sources/detect.js';
import { sourceOf, type Replay } from '../sources/registry.js';
import type { Scanned } from '../correlate/incidents.js';

/** A file with more records than this is read again by its analysis rather than held (a storm's adverts). */
export const REPLAY_MAX_RECORDS = 20_000;

/** What the scan read, by path: captures', logs' and conntrack dumps' records, for their analysis to take. */
export type Replays = Record<string, Replay>;

/**
 * A swept file scanned: a file is one Scanned; an archive (tar, zip, sos report) is one per member of a known kind,
 * read in place, and itself too when it is damaged (its damage is then the reason it is listed as skipped). Captures
 * read whole leave their records in `replays`.
 */
export async function scanPath(path: string, year?: number, replays?: Replays): Promise<Scanned[]> {
  const archive = await expandArchive(path);
  if (!archive) return [await scanFile(path, year, replays)];
  const out: Scanned[] = [];
  for (const m of archive.members) out.push({ ...(await scanFile(m, year, replays)), container: containerOf(m) ?? path });
  const damage = archiveProblems(archive.listing);
  if (damage.length || !out.length) out.push({ ...(await scanFile(path, year, replays)), error: damage.map((d) => d.toLine()).join('; ') || undefined });
  return out;
}

/**
 * One quick pass over a file for the span of its VRRP evidence (first and last), by its kind's `span` (sources/kinds/):
 * captures, the adverts; logs, keepalived lines; conntrack, VRRP/AH entries (event times, or the dump time of a
 * snapshot that holds one). Configs and rulesets, and files without VRRP evidence, have none: they join the incidents
 * of their folder. Times travel as decimal strings (workers pass structured clones). A capture's records (up to
 * REPLAY_MAX_RECORDS) are kept in `replays`, so its incident's analysis does not read it again.
 */
export async function scanFile(path: string, year?: number, replays?: Replays): Promise<Scanned> {
  const st = await statInput(path).catch(() => null);
  const d = await detectKind(path);
  const out: Scanned = { path, kind: d.kind, bytes: st?.size ?? 0, first: null, last: null, hosts: [] };
  let first: bigint | null = null;
  let last: bigint | null = null;
  const see = (t: bigint) => {
    if (first === null || t < first) first = t;
    if (last === null || t > last) last = t;
  };
  try {
    const span = sourceOf(d.kind)?.span;
    const keep = replays ? { max: REPLAY_MAX_RECORDS, put: (r: Replay) => { replays[path] = r; } } : undefined;
    const r = span ? await span(path, d.format, { year, keep }, see) : {};
    if (r.hosts) out.hosts = r.hosts;
    if (r.error) out.error = r.error;
  } catch (err) {
    out.error = (err as Error).message;
  }
  const f = first as bigint | null;
  const l = last as bigint | null;
  out.first = f === null ? null : f.toString();
  out.last = l === null ? null : l.toString();
  return out;
}
