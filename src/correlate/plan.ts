import path from 'node:path';
import { ForensicError } from '../errors.js';
import { detectKind, type Detected } from '../sources/detect.js';
import { expandPaths, openInput } from '../sources/input.js';
import { containerOf, memberHost } from '../sources/archive/members.js';
import { readCapture } from '../sources/capture/reader.js';
import { timeOf } from '../sources/capture/packet.js';
import { SyslogParser } from '../sources/syslog/reader.js';

/** One input as analyze will read it: what it is (by content), whose it is, and whether it is read at all. */
export interface PlannedInput extends Detected {
  fromDirectory: boolean;
  host: string | null;
  hostFrom?: 'flag' | 'syslog' | 'folder' | 'router_id' | 'neighbour' | 'bundle';
  /** set when the file is not read (a lower-precision copy of another log, a file of no known kind in a folder) */
  skip?: string;
  /** syslog: hostnames in its first lines; capture: the first packet's time */
  syslogHosts?: string[];
  firstPacket?: bigint;
}

export interface PlanOptions {
  /** --host PATH=NAME: a file, or a folder whose files all belong to NAME */
  hostFlags: [string, string][];
}

/** How much of a log is looked at to learn its host and tell a duplicate copy: a few hundred lines. */
const PEEK_BYTES = 64 * 1024;

/**
 * Expands, sniffs and attributes every input. Standard input cannot be analysed: analyze reads some inputs twice
 * (a year-less log is dated from its end before it is read), so `-` is refused with a usage error.
 */
export async function planInputs(paths: string[], opts: PlanOptions): Promise<PlannedInput[]> {
  if (paths.includes('-')) throw new ForensicError('E_USAGE', 'analyze reads files, not standard input: save it to a file first');
  const expanded = await expandPaths(paths);
  const out: PlannedInput[] = [];
  const fingerprints = new Map<PlannedInput, { keys: Set<string>; precision: number }>();
  for (const x of expanded) {
    const d = await detectKind(x.path);
    const p: PlannedInput = { ...d, fromDirectory: x.fromDirectory, host: null };
    if (d.kind === 'unknown' && x.fromDirectory) p.skip = `not evidence this tool reads (${d.reason})`;
    if (d.kind === 'syslog') {
      const peek = await peekSyslog(x.path);
      p.syslogHosts = peek.hosts;
      fingerprints.set(p, peek);
    }
    if (d.kind === 'capture') {
      const t = await firstPacketTime(x.path);
      if (t !== null) p.firstPacket = t;
    }
    out.push(p);
  }
  attributeHosts(out, opts.hostFlags);
  await attributeMembers(out);
  markDuplicateLogs(out, fingerprints);
  return out;
}

/**
 * Host, best first: --host, the syslog hostname (one per file), the other files in the folder of such a log, the
 * folder's name when the inputs span several folders (samples/x/gw-a, …/gw-b), else unknown.
 */
function attributeHosts(inputs: PlannedInput[], flags: [string, string][]): void {
  const folderHost = new Map<string, string>();
  for (const i of inputs) {
    const flag = flags.find(([p]) => i.path === p || i.path.startsWith(p.replace(/\/$/, '') + '/'));
    if (flag) [i.host, i.hostFrom] = [flag[1], 'flag'];
    else if (i.syslogHosts?.length === 1) [i.host, i.hostFrom] = [i.syslogHosts[0], 'syslog'];
    if (i.host && i.kind === 'syslog') folderHost.set(path.dirname(i.path), i.host);
  }
  const folders = new Set(inputs.map((i) => path.dirname(i.path)));
  for (const i of inputs) {
    if (i.host) continue;
    const n = folderHost.get(path.dirname(i.path));
    if (n) [i.host, i.hostFrom] = [n, 'neighbour'];
    else if (folders.size > 1) [i.host, i.hostFrom] = [path.basename(path.dirname(path.resolve(i.path))), 'folder'];
  }
}

/**
 * Members of an archive: the host a bundle names for itself (sos `hostname`) unless --host or the log's own hostname
 * says otherwise; a folder inside an archive (`var/log`) names no host, the folder holding the archive may.
 */
async function attributeMembers(inputs: PlannedInput[]): Promise<void> {
  for (const i of inputs) {
    const archive = containerOf(i.path);
    if (archive === null || i.hostFrom === 'flag' || i.hostFrom === 'syslog') continue;
    const h = await memberHost(i.path);
    if (h) [i.host, i.hostFrom] = [h, 'bundle'];
    else if (i.hostFrom === 'folder') i.host = path.basename(path.dirname(path.resolve(archive)));
  }
}

/**
 * rsyslog often writes the same messages twice (traditional and high-precision files): the same host, message and
 * second in both. The lower-precision copy is not read, so no event is counted twice.
 */
function markDuplicateLogs(inputs: PlannedInput[], fp: Map<PlannedInput, { keys: Set<string>; precision: number }>): void {
  const logs = inputs.filter((i) => i.kind === 'syslog' && !i.skip);
  for (const a of logs) {
    for (const b of logs) {
      if (a === b || a.skip || b.skip || a.host !== b.host) continue;
      const ka = fp.get(a)!.keys;
      const kb = fp.get(b)!.keys;
      if (ka.size < 3 || kb.size < 3) continue;
      let shared = 0;
      for (const k of ka) if (kb.has(k)) shared++;
      if (shared < 0.8 * Math.min(ka.size, kb.size)) continue;
      const [lo, hi] = fp.get(a)!.precision < fp.get(b)!.precision ? [a, b] : [b, a];
      lo.skip = `same messages as ${hi.path} (higher precision): not read twice`;
    }
  }
}

/** The first lines of a log: its hostnames and a fingerprint of its keepalived messages (second of day + text). */
async function peekSyslog(file: string): Promise<{ hosts: string[]; keys: Set<string>; precision: number }> {
  const keys = new Set<string>();
  let precision = 0;
  const parser = new SyslogParser(file, { tz: 'UTC', toEpochMs: (t) => Date.UTC(2000, t.month, t.day, t.hour, t.minute, t.second) }, (e) => {
    if (keys.size < 200) keys.add(`${(e.time / 1_000_000_000n) % 86400n}|${e.message}`);
    precision = Math.max(precision, e.precision);
  });
  const input = await openInput(file, PEEK_BYTES).catch(() => null);
  if (!input) return { hosts: [], keys, precision };
  try {
    let have = 0;
    try {
      for await (const c of input.chunks) {
        parser.write(c);
        have += c.length;
        if (have >= PEEK_BYTES) break;
      }
      parser.end();
    } catch {
      // a damaged or refused log is reported when it is read for real
    }
  } finally {
    input.close();
  }
  return { hosts: parser.info.hosts, keys, precision };
}

/** The time of a capture's first timed packet (dates year-less logs of the same period). */
async function firstPacketTime(file: string): Promise<bigint | null> {
  let first: bigint | null = null;
  const gen = readCapture(file, {
    onPacket: (v) => {
      if (first === null) {
        const t = timeOf(v);
        if (t.ns !== null) first = t.ns;
      }
    },
  });
  try {
    for (let i = 0; i < 4 && first === null; i++) if ((await gen.next()).done) break;
  } finally {
    await gen.return(undefined as never);
  }
  return first;
}
