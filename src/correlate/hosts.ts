import path from 'node:path';
import type { HostFolder, HostSource } from '../model/report.js';

export type { HostSource };

/** What a file says about its own host, read by the planner. */
export interface HostEvidence {
  path: string;
  /** --host PATH=NAME that covers it */
  flag?: string;
  /** the one hostname a log's keepalived lines carry */
  syslogHost?: string;
  /** keepalived.conf: router_id and the addresses it sends from (mcast_src_ip / unicast_src_ip) */
  routerId?: string;
  confAddresses?: string[];
  /** a capture: the sources of adverts marked as sent by the capturing host (SLL / pcapng direction) */
  sentAddresses?: string[];
}

export interface HostResolution {
  host: string | null;
  from?: HostSource;
  /** the file whose evidence gave the name (for neighbour, address and alias resolutions) */
  via?: string;
  /** the name stands on the file's or folder's name alone: a guess the report warns about */
  weak?: boolean;
}

/**
 * Folder names that say what is inside, never whose it is: such a folder is skipped when a host is looked for
 * (gw-a/conntrack/events.log belongs to gw-a, not to "conntrack").
 */
const GENERIC = new Set([
  'conntrack', 'conntrackd', 'logs', 'log', 'var', 'pcap', 'pcaps', 'pcapng', 'capture', 'captures', 'tcpdump', 'dumps', 'dump',
  'sos_commands', 'sos_reports', 'sos_logs', 'etc', 'keepalived', 'iptables', 'nftables', 'nft', 'firewall', 'netfilter', 'syslog',
  'messages', 'journal', 'rsyslog', 'evidence', 'data', 'files', 'tmp', 'config', 'configs', 'conf', 'proc', 'net', 'networking',
  'network', 'run', 'collected', 'incident', 'attachments', 'export', 'exports', 'archive', 'raw', 'home', 'root', 'sysconfig',
  'fw', 'rules', 'ruleset', 'rulesets', 'iptables-save', 'ip6tables',
]);

/** keepalived's default router_id: shared by every box that never set one, so it names no machine. */
const DEFAULT_ROUTER_ID = 'LVS_DEVEL';

/** Words that name a kind of evidence or an interface in a file name, not a host (gw-b-messages → gw-b). */
const EVIDENCE_WORDS = new Set([
  'messages', 'syslog', 'log', 'logs', 'journal', 'keepalived', 'conf', 'cfg', 'pcap', 'pcapng', 'cap', 'capture', 'dump', 'tcpdump',
  'conntrack', 'nf', 'ip', 'events', 'event', 'l', 'e', 'iptables', 'save', 'nft', 'ruleset', 'rules', 'rfc3339', 'rfc3164', 'txt',
  'gz', 'json', 'xml', 'any', 'lo', 'vrrp', 'traditional', 'precise', 'hp', 'kern', 'daemon', 'snapshot', 'table',
]);

export function isGenericFolder(name: string): boolean {
  return GENERIC.has(name.toLowerCase()) || /^\d[\d.-]*$/.test(name) || /^sosreport$/i.test(name);
}

/**
 * Every input's host, from the strongest evidence: --host; the syslog hostname; keepalived.conf (router_id, or its
 * source addresses seen on a capture's own adverts); a host named in the file's name; the nearest ancestor folder
 * whose evidence names exactly one host; and only then a folder's own (non-generic) name, as a warned guess.
 * One machine is one router: names that only differ by kind of evidence in one host's folder fold into the strongest.
 */
export function resolveHosts(files: HostEvidence[]): Map<string, HostResolution> {
  const out = new Map<string, HostResolution>();
  // router_ids given by confs in two different folders name no single machine (copied configs, the default)
  const idFolders = new Map<string, Set<string>>();
  for (const f of files) if (f.routerId) idFolders.set(f.routerId, (idFolders.get(f.routerId) ?? new Set()).add(path.dirname(f.path)));
  const usableId = (id: string | undefined) => (id && id !== DEFAULT_ROUTER_ID && idFolders.get(id)!.size === 1 ? id : undefined);

  // 1. a file's own word for itself
  for (const f of files) {
    if (f.flag) out.set(f.path, { host: f.flag, from: 'flag' });
    else if (f.syslogHost) out.set(f.path, { host: f.syslogHost, from: 'syslog' });
    else if (usableId(f.routerId)) out.set(f.path, { host: f.routerId!, from: 'router_id' });
  }
  // a capture's own adverts left from an address a keepalived.conf sends from: that conf's machine
  for (const f of files) {
    if (out.has(f.path) || !f.sentAddresses?.length) continue;
    const conf = files.find((c) => out.get(c.path)?.host && c.confAddresses?.some((a) => f.sentAddresses!.includes(a)));
    if (conf) out.set(f.path, { host: out.get(conf.path)!.host, from: 'address', via: conf.path });
  }
  foldAliases(files, out);

  // 2. files that say nothing of their host: by name, then by the evidence beside them, then by folder name
  const known = [...new Set([...out.values()].map((r) => r.host!))].sort((a, b) => b.length - a.length);
  const roots = new Set(files.map((f) => hostFolder(f.path)));
  for (const f of files) {
    if (out.has(f.path)) continue;
    const named = known.find((h) => nameHolds(path.basename(f.path), h));
    if (named) {
      out.set(f.path, { host: named, from: 'file-name' });
      continue;
    }
    const near = fromAncestors(f.path, files, out);
    if (near) {
      out.set(f.path, near);
      continue;
    }
    const stem = flatStem(f.path, files, known);
    if (stem) {
      out.set(f.path, { host: stem, from: 'file-name', weak: true });
      continue;
    }
    const folder = path.basename(hostFolder(f.path));
    if (roots.size > 1 && folder && !isGenericFolder(folder)) out.set(f.path, { host: folder, from: 'folder', weak: true });
    else out.set(f.path, { host: null });
  }
  return out;
}

/**
 * In a folder holding one machine's evidence, a router_id or address-derived name next to one syslog hostname is the
 * same machine under another name: it takes the stronger name (kept as `via`). Folders with two names of one kind
 * hold several machines and are left alone.
 */
function foldAliases(files: HostEvidence[], out: Map<string, HostResolution>): void {
  const byFolder = new Map<string, HostEvidence[]>();
  for (const f of files) if (out.get(f.path)?.host) byFolder.set(hostFolder(f.path), [...(byFolder.get(hostFolder(f.path)) ?? []), f]);
  const rank: HostSource[] = ['flag', 'syslog', 'router_id', 'address'];
  for (const group of byFolder.values()) {
    const names = new Map<HostSource, Set<string>>();
    for (const f of group) {
      const r = out.get(f.path)!;
      names.set(r.from!, (names.get(r.from!) ?? new Set()).add(r.host!));
    }
    if ([...names.values()].some((s) => s.size > 1)) continue;
    const strongest = rank.find((k) => names.has(k))!;
    const name = [...names.get(strongest)!][0];
    const namer = group.find((f) => out.get(f.path)!.from === strongest)!;
    for (const f of group) {
      const r = out.get(f.path)!;
      if (r.host !== name) out.set(f.path, { host: name, from: r.from, via: namer.path });
    }
  }
}

/** Names a file gives itself (or --host gives it), as opposed to names inferred from where it lies. */
const OWN = new Set<HostSource | undefined>(['flag', 'syslog', 'router_id', 'address']);

/** The folder a file's host is looked for in: its own, with generic folders (conntrack/, var/log/) stepped over. */
export function hostFolder(file: string): string {
  let d = path.dirname(file);
  while (isGenericFolder(path.basename(d)) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

/** `gw-a` in `gw-a.pcap`, `gw-a-messages`, `conntrack_gw-a.log`, not in `gw-ab.pcap`. */
function nameHolds(base: string, host: string): boolean {
  const i = base.toLowerCase().indexOf(host.toLowerCase());
  if (i < 0) return false;
  const before = base[i - 1];
  const after = base[i + host.length];
  return (before === undefined || !/[A-Za-z0-9]/.test(before)) && (after === undefined || !/[A-Za-z0-9]/.test(after));
}

/**
 * The nearest ancestor folder, up to the file's host folder, whose files name exactly one host gives it. A folder whose named files all carry their
 * host in their own names is a flat layout: a file there without a host in its name is not assumed to be theirs.
 */
function fromAncestors(file: string, files: HostEvidence[], out: Map<string, HostResolution>): HostResolution | null {
  const top = hostFolder(file);
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    const prefix = d === '.' ? '' : d + path.sep;
    const under = files.filter((f) => f.path.startsWith(prefix) && OWN.has(out.get(f.path)?.from));
    const hosts = new Set(under.map((f) => out.get(f.path)!.host));
    if (hosts.size > 1) return null;
    if (hosts.size === 1) {
      const [host] = hosts;
      const flat = under.every((f) => path.dirname(f.path) === path.dirname(file) && nameHolds(path.basename(f.path), host!));
      if (flat) return null;
      return { host, from: 'neighbour', via: under[0].path };
    }
    // climbing past the host's folder would reach the folders of other machines (case/gw-a, case/gw-b)
    if (d === top || path.dirname(d) === d) return null;
  }
}

/**
 * A flat folder's naming (gw-a.pcap, gw-a-messages, gw-b.pcap): a file's name without evidence words, when another
 * file of the same folder carries the same stem or the folder's other names are host-named.
 */
function flatStem(file: string, files: HostEvidence[], known: string[]): string | null {
  const stem = stemOf(file);
  if (!stem) return null;
  const dir = path.dirname(file);
  const siblings = files.filter((f) => f.path !== file && path.dirname(f.path) === dir).map((f) => stemOf(f.path));
  const distinct = new Set(siblings.filter((s): s is string => s !== null));
  const hostNamed = [...distinct].some((s) => known.includes(s));
  return (siblings.includes(stem) && distinct.size > 1) || hostNamed ? stem : null;
}

function stemOf(file: string): string | null {
  const words = path.basename(file).split(/[._]/)[0].split('-');
  // drop evidence words and interface names from the end: gw-b-messages → gw-b, gw-a-lan0 → gw-a
  while (words.length && (EVIDENCE_WORDS.has(words[words.length - 1].toLowerCase()) || /^(eth|lan|wan|ens|enp|bond|br|vlan)\d*$/i.test(words[words.length - 1]))) words.pop();
  const stem = words.join('-');
  return stem && /[a-z]/i.test(stem) && !EVIDENCE_WORDS.has(stem.toLowerCase()) && !isGenericFolder(stem) ? stem : null;
}

/**
 * The folder → host table: one row per folder and host its files were given (a flat folder of several hosts has a
 * row for each), with where the name came from — the strongest reason among the folder's files.
 */
export function folderTable(files: { path: string; host: string | null; hostFrom?: HostSource; hostVia?: string; hostWeak?: boolean }[]): HostFolder[] {
  const rank: (HostSource | undefined)[] = ['flag', 'syslog', 'router_id', 'address', 'neighbour', 'file-name', 'folder', undefined];
  const rows = new Map<string, HostFolder>();
  for (const f of files) {
    const folder = path.dirname(f.path);
    const key = `${folder}\u0000${f.host ?? ''}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, { folder, host: f.host, from: f.hostFrom ?? null, ...(f.hostVia ? { via: f.hostVia } : {}), weak: Boolean(f.hostWeak), files: 1 });
      continue;
    }
    row.files++;
    if (rank.indexOf(f.hostFrom) < rank.indexOf(row.from ?? undefined)) {
      [row.from, row.weak] = [f.hostFrom ?? null, Boolean(f.hostWeak)];
      if (f.hostVia) row.via = f.hostVia;
      else delete row.via;
    }
  }
  return [...rows.values()];
}
