import path from 'node:path';
import { ForensicError } from '../errors.js';
import { detectKind, type Detected } from '../sources/detect.js';
import { expandPaths, openInput, type Expanded } from '../sources/input.js';
import { containerOf, memberHost } from '../sources/archive/members.js';
import { readCapture } from '../sources/capture/reader.js';
import { timeOf } from '../sources/capture/packet.js';
import { SyslogParser } from '../sources/syslog/reader.js';
import { readKeepalivedConf, type KeepalivedConf } from '../sources/config/keepalived-conf.js';
import { resolveHosts, type HostEvidence, type HostSource } from './hosts.js';
import type { InputNote } from '../model/report.js';

/** One input as analyze will read it: what it is (by content), whose it is, and whether it is read at all. */
export interface PlannedInput extends Detected {
  fromDirectory: boolean;
  host: string | null;
  hostFrom?: HostSource;
  /** the file whose evidence gave the host name (neighbour, address, a folded alias) */
  hostVia?: string;
  /** the host name stands on a file or folder name alone */
  hostWeak?: boolean;
  /** set when the file is not read (a file of no known kind in a folder) */
  skip?: Extract<InputNote, { kind: 'not-read' | 'not-evidence' }>;
  /** syslog: hostnames in its first lines; capture: the first packet's time */
  syslogHosts?: string[];
  firstPacket?: bigint;
  /** capture: sources of the adverts it marks as sent by the capturing host */
  sentAddresses?: string[];
  /** keepalived.conf: router_id and the addresses it sends adverts from */
  routerId?: string;
  confAddresses?: string[];
  /** keepalived.conf: the parsed file, so analyze does not read it again */
  conf?: KeepalivedConf;
}

export interface PlanOptions {
  /** --host PATH=NAME: a file, or a folder whose files all belong to NAME */
  hostFlags: [string, string][];
}

/** How much of a log is looked at to learn its host: a few hundred lines. */
const PEEK_BYTES = 64 * 1024;

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
    if (d.kind === 'syslog') {
      p.syslogHosts = await peekSyslogHosts(x.path);
    }
    if (d.kind === 'capture') {
      const peek = await peekCapture(x.path);
      if (peek.first !== null) p.firstPacket = peek.first;
      if (peek.sent.size) p.sentAddresses = [...peek.sent];
    }
    if (d.kind === 'keepalived-conf') {
      const conf = await readKeepalivedConf(x.path).catch(() => null);
      if (conf) p.conf = conf;
      if (conf?.routerId) p.routerId = conf.routerId;
      const addrs = conf?.instances.flatMap((i) => [i.mcastSrcIp, i.unicastSrcIp]).filter((a): a is string => Boolean(a)) ?? [];
      if (addrs.length) p.confAddresses = [...new Set(addrs)];
    }
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

/** The hostnames in a log's first lines. */
export async function peekSyslogHosts(file: string): Promise<string[]> {
  const parser = new SyslogParser(file, { tz: 'UTC', toEpochMs: (t) => Date.UTC(2000, t.month, t.day, t.hour, t.minute, t.second) }, () => {});
  const input = await openInput(file, PEEK_BYTES).catch(() => null);
  if (!input) return [];
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
  return parser.info.hosts;
}

/** How many packets of a capture are looked at for its first time and the adverts it sent itself. */
const PEEK_PACKETS = 2000;

/**
 * A capture's first timed packet (dates year-less logs of the same period) and the sources of the adverts it marks as
 * sent by the capturing host (tcpdump -i any, pcapng direction flags): the capture's own addresses.
 */
async function peekCapture(file: string): Promise<{ first: bigint | null; sent: Set<string> }> {
  let first: bigint | null = null;
  let seen = 0;
  const sent = new Set<string>();
  const gen = readCapture(file, {
    onPacket: (v) => {
      if (first === null && !v.timeOutlier) {
        const t = timeOf(v);
        if (t.ns !== null) first = t.ns;
      }
    },
  });
  try {
    while (seen < PEEK_PACKETS) {
      const r = await gen.next();
      if (r.done) break;
      for (const rec of r.value) {
        seen++;
        if (rec.kind === 'vrrp' && (rec.direction === 'sent-by-us' || rec.direction === 'outbound')) sent.add(rec.src);
      }
    }
  } catch {
    // a damaged capture is reported when it is read for real
  } finally {
    await gen.return(undefined as never);
  }
  return { first, sent };
}
