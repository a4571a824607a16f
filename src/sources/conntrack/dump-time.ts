import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ForensicError } from '../../errors.js';
import type { DumpTimeVia } from '../../model/conntrack.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A `date` line an operator put before the dump: `Wed Nov 25 05:55:08 UTC 2026` (with its zone name, as date(1)
 * prints it), `2026-11-25T05:55:08+00:00`, or `@1795586108` / a bare epoch. Returns epoch ns or null.
 */
export function parseDateLine(line: string): bigint | null {
  const s = line.trim();
  let m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT|Z) (\d{4})$/.exec(s);
  if (m) {
    const mo = MONTHS.indexOf(m[1]);
    if (mo < 0) return null;
    return BigInt(Date.UTC(Number(m[7]), mo, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]))) * 1_000_000n;
  }
  m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (m) {
    const ms = Date.parse(`${m[1]}T${m[2]}${m[4].length === 5 ? m[4].slice(0, 3) + ':' + m[4].slice(3) : m[4]}`);
    if (Number.isNaN(ms)) return null;
    return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  }
  m = /^@?(\d{10})(?:\.(\d{1,9}))?$/.exec(s);
  if (m) return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return null;
}

/** An epoch (2001…2286) or an ISO-like stamp in a file name: `nf_conntrack.1795586108`, `ct-20261125T0555.txt`. */
export function timeFromName(name: string): bigint | null {
  const base = name.split('/').pop() ?? name;
  let m = /(?:^|[^\d])(1\d{9}|2\d{9})(?:[^\d]|$)/.exec(base);
  if (m) return BigInt(m[1]) * 1_000_000_000n;
  m = /(20\d{2})-?(\d{2})-?(\d{2})[T_-]?(\d{2})[:-]?(\d{2})(?:[:-]?(\d{2}))?/.exec(base);
  if (m) {
    const [y, mo, d, H, M, S] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || H > 23 || M > 59 || S > 60) return null;
    return BigInt(Date.UTC(y, mo - 1, d, H, M, S)) * 1_000_000n;
  }
  return null;
}

/** `--at` flag value: RFC 3339 or epoch seconds. */
export function parseAtFlag(v: string): bigint {
  const t = parseDateLine(v);
  if (t === null) throw new ForensicError('E_USAGE', `--at "${v}" is not a time (use RFC 3339 like 2026-11-25T05:55:08Z, or epoch seconds)`);
  return t;
}

/** ctime() as `-o ktimestamp` prints it (`Wed Nov 25 00:36:30 2026`), read as local time in `zone`. */
export function parseCtime(text: string, toEpochMs: (y: number, mo: number, d: number, H: number, M: number, S: number) => number): bigint | null {
  const m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text.trim());
  if (!m) return null;
  const mo = MONTHS.indexOf(m[1]);
  if (mo < 0) return null;
  return BigInt(toEpochMs(Number(m[6]), mo, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]))) * 1_000_000n;
}

/** A manifest larger than this is not read (a real one is tens of kilobytes). */
const MAX_MANIFEST = 16 << 20;

/**
 * sosreport ≥ 4 records, for every command it ran, the file it wrote and when (epoch floats) in
 * sos_reports/manifest.json at the archive root. Looks upward from the dump for that manifest and returns the start
 * time of the command that wrote this very file, or null.
 */
export async function sosCommandTime(file: string): Promise<{ ns: bigint; via: DumpTimeVia } | null> {
  let dir = path.dirname(path.resolve(file));
  for (let up = 0; up < 6; up++) {
    const manifest = path.join(dir, 'sos_reports', 'manifest.json');
    const st = await fsp.stat(manifest).catch(() => null);
    if (st?.isFile() && st.size <= MAX_MANIFEST) {
      let doc: unknown;
      try {
        doc = JSON.parse(await fsp.readFile(manifest, 'utf8'));
      } catch {
        return null;
      }
      const rel = path.relative(dir, path.resolve(file)).split(path.sep).join('/');
      const plugins = (doc as { components?: { report?: { plugins?: Record<string, { commands?: unknown[] }> } } })?.components?.report?.plugins ?? {};
      for (const [name, plugin] of Object.entries(plugins)) {
        for (const c of plugin.commands ?? []) {
          const cmd = c as { filepath?: string; start_time?: number; exec?: string };
          if (cmd.filepath === rel && typeof cmd.start_time === 'number' && Number.isFinite(cmd.start_time)) {
            return {
              ns: BigInt(Math.round(cmd.start_time * 1e6)) * 1000n,
              via: { kind: 'sos-command', plugin: name, command: cmd.exec ?? rel },
            };
          }
        }
      }
      return null;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
