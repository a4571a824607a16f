import { createHash } from 'node:crypto';
import type { Group } from '../correlate/incidents.js';

/**
 * The file name stem of a group's report: its incident folder's name (made safe: letters, digits, `.`, `_`, `-` only,
 * so a folder called `../../etc` cannot steer a write outside --out) and its id, which keeps it unique.
 */
export function reportStem(g: Pick<Group, 'id' | 'folders'>): string {
  const names = g.folders.map((f) => (f === '.' ? '' : f.replace(/\//g, '_')));
  const named = names.filter(Boolean);
  let label = named.slice(0, 2).join('+') + (named.length > 2 ? `+${named.length - 2}more` : '');
  label = label.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[.]+/, '_').slice(0, 80);
  return label ? `${label}--${g.id}` : g.id;
}

/** --shard K/N: a deterministic share of the groups, by a hash of the id (stable across machines). */
export function inShard(id: string, shard: { k: number; n: number } | undefined): boolean {
  if (!shard) return true;
  const h = createHash('sha256').update(id).digest().readUInt32BE(0);
  return h % shard.n === shard.k - 1;
}

export function parseShard(s: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const k = m ? Number(m[1]) : 0;
  const n = m ? Number(m[2]) : 0;
  if (!m || n < 1 || k < 1 || k > n) throw new Error(`--shard wants K/N with 1 ≤ K ≤ N, got "${s}"`);
  return { k, n };
}
