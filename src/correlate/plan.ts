import path from 'node:path';
import { ForensicError } from '../errors.js';
import { detectKind, type Detected } from '../sources/detect.js';
import { expandPaths, type Expanded } from '../sources/input.js';
import { containerOf, memberHost } from '../sources/archive/members.js';
import { sourceOf, type Peeked } from '../sources/registry.js';
import { resolveHosts, type HostEvidence, type HostSource } from './hosts.js';
import type { InputNote } from '../model/report.js';

/** One input as analyze will read it: what it is (by content), whose it is, and whether it is read at all. */
export interface PlannedInput extends Detected, Peeked {
  fromDirectory: boolean;
  host: string | null;
  hostFrom?: HostSource;
  /** the file whose evidence gave the host name (neighbour, address, a folded alias) */
  hostVia?: string;
  /** the host name stands on a file or folder name alone */
  hostWeak?: boolean;
  /** set when the file is not read (a file of no known kind in a folder) */
  skip?: Extract<InputNote, { kind: 'not-read' | 'not-evidence' }>;
}

export interface PlanOptions {
  /** --host PATH=NAME: a file, or a folder whose files all belong to NAME */
  hostFlags: [string, string][];
}

/**
 * Expands, sniffs and attributes every input. Standard input cannot be analysed: analyze reads some inputs twice
 * (a year-less log is dated from its end before it is read), so `-` is refused with a usage error.
 */
export async function planInputs(paths: string[] | Expanded, opts: PlanOptions): Promise<PlannedInput[]> {
  const walk = Array.isArray(paths) ? await expandPaths(paths) : paths;
  if (walk.files.some((f) => f.path === '-')) throw new ForensicError('E_USAGE', 'analyze reads files, not standard input: save it to a file first');
  const expanded = walk.files;
  const out: PlannedInput[] = walk.passedOver.map((x) => ({ path: x.path, kind: 'unknown', gzip: false, reason: x.reason, fromDirectory: true, host: null, skip: { kind: 'not-read' as const, reason: x.reason } }));
  for (const x of expanded) {
    const d = await detectKind(x.path);
    const p: PlannedInput = { ...d, fromDirectory: x.fromDirectory, host: null };
    if (d.kind === 'unknown' && x.fromDirectory) p.skip = { kind: 'not-evidence', reason: d.reason };
    // what the kind's first bytes say about its host (and what the analysis reuses): sources/kinds/
    const peek = sourceOf(d.kind)?.peek;
    if (peek) Object.assign(p, await peek(x.path, d.format));
    out.push(p);
  }
  attributeHosts(out, opts.hostFlags);
  await attributeMembers(out);
  return out;
}

/**
 * Members of an archive: the host a bundle names for itself (sos `hostname`) unless --host or the log's own hostname
 * says otherwise; a folder inside an archive (`var/log`) names no host, the folder holding the archive may (weak).
 */
async function attributeMembers(inputs: PlannedInput[]): Promise<void> {
  for (const i of inputs) {
    const archive = containerOf(i.path);
    if (archive === null || i.hostFrom === 'flag' || i.hostFrom === 'syslog') continue;
    const h = await memberHost(i.path);
    if (h) {
      [i.host, i.hostFrom, i.hostWeak] = [h, 'bundle', undefined];
      delete i.hostVia;
    } else if (i.hostFrom === 'folder' || i.hostFrom === 'file-name') {
      [i.host, i.hostWeak] = [path.basename(path.dirname(path.resolve(archive))), true];
    }
  }
}

/** Every input's host by the rule in hosts.ts; a --host PATH=NAME covers the file or every file under the folder. */
function attributeHosts(inputs: PlannedInput[], flags: [string, string][]): void {
  const evidence: HostEvidence[] = inputs.filter((i) => !i.skip).map((i) => {
    const flag = flags.find(([p]) => i.path === p || i.path.startsWith(p.replace(/\/$/, '') + '/'));
    return {
      path: i.path, flag: flag?.[1], syslogHost: i.syslogHosts?.length === 1 ? i.syslogHosts[0] : undefined,
      routerId: i.routerId, confAddresses: i.confAddresses, sentAddresses: i.sentAddresses,
    };
  });
  const resolved = resolveHosts(evidence);
  for (const i of inputs) {
    const r = resolved.get(i.path);
    if (!r?.host) continue;
    [i.host, i.hostFrom] = [r.host, r.from];
    if (r.via) i.hostVia = r.via;
    if (r.weak) i.hostWeak = true;
  }
}

export { peekSyslogHosts } from '../sources/kinds/syslog.js';
