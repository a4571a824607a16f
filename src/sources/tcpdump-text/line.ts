import type { Direction } from '../../model/records.js';

/**
 * One line of `tcpdump -n` text as engineers paste it into tickets: the default, `-tt`, `-tttt` and `--nano` stamps,
 * `-#` frame numbers, `-i any` interface and direction, `-e` link-level headers (Ethernet, VLAN, Linux cooked), `-v`
 * IP details — with the VRRP part on the same line or, for IPv4 under `-v`, on the indented line after.
 */

/** When the line says the packet was seen. */
export type Stamp =
  | { kind: 'date'; year: number; month: number; day: number; hour: number; minute: number; second: number; frac: string }
  | { kind: 'time-of-day'; hour: number; minute: number; second: number; frac: string }
  | { kind: 'epoch'; seconds: bigint; frac: string };

/** The part of a packet line before the network layer. */
export interface Head {
  /** `-#` */
  frame?: number;
  stamp: Stamp;
  /** `-i any`: interface name and direction */
  iface?: string;
  direction?: Direction;
  /** `-e` */
  srcMac?: string;
  /** the link-level length tcpdump printed with `-e` */
  linkLength?: number;
  /** what follows: `IP …`, `IP6 …`, `ARP, …`, or (with -e) the addresses */
  rest: string;
}

/** `-v` IP header details: `(tos 0xc0, ttl 255, …, proto VRRP (112), length 40)` or IPv6's `(hlim 255, next-header VRRP (112), …)`. */
export interface IpDetails {
  ipVersion: 4 | 6;
  ttl?: number;
  proto?: number;
  length?: number;
}

export interface VrrpText {
  src: string;
  dst: string;
  /** wrapped in IPsec AH (`AH(…): VRRPv2, …`) */
  ah: boolean;
  version: number;
  type: number;
  vrid: number;
  priority: number;
  authType?: number;
  interval: number;
  intervalUnit: 's' | 'cs';
  length: number;
  /** `-v`: the checksum field of an advert whose checksum failed */
  badChecksum?: number;
  addresses?: string[];
  authData?: string;
}

const FRAC = '(\\d{1,9})';
const STAMP = new RegExp(
  '^(?:(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})\\.' + FRAC + // -tttt
  '|(\\d{2}):(\\d{2}):(\\d{2})\\.' + FRAC + // default
  '|(\\d{9,11})\\.' + FRAC + ')(?= )', // -tt
);
const DIRECTIONS: Record<string, Direction> = { In: 'to-us', Out: 'sent-by-us', M: 'multicast', B: 'broadcast', P: 'other-host' };
const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';
/** `-i any`: `ifb0  Out ` */
const ANY = /^(\S+)\s+(In|Out|M|B|P)\s+/;
/** `-e` Ethernet: `52:54:00:00:b0:01 > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: ` (VLAN tags in between) */
const ETHER = new RegExp(`^(${MAC}) > \\S+?, ethertype \\S+ \\(0x[0-9a-f]+\\), length (\\d+): (?:vlan \\d+, p \\d+, ethertype \\S+ \\(0x[0-9a-f]+\\), )*`, 'i');
/** `-e` Linux cooked: `ifindex 2 52:54:00:00:a0:01 ethertype IPv4 (0x0800), length 60: ` (SLL2), or SLL's `Out 52:54:… ethertype …` */
const COOKED = new RegExp(`^(?:ifindex \\d+ )?(${MAC}) ethertype (?:IPv4|IPv6|ARP) \\(0x[0-9a-f]+\\), length (\\d+): `, 'i');

/** The stamp, frame number, interface and link-level parts of a packet line; null for anything else. */
export function parseHead(line: string): Head | null {
  let s = line;
  let frame: number | undefined;
  // `-#`: the number, then at least two spaces or a tab, then the stamp
  const f = /^\s*(\d+)(?:\s{2,}|\t)(?=\d)/.exec(s);
  if (f && STAMP.test(s.slice(f[0].length))) {
    frame = Number(f[1]);
    s = s.slice(f[0].length);
  }
  const m = STAMP.exec(s);
  if (!m) return null;
  const n = (i: number) => Number(m[i]);
  const stamp: Stamp = m[1] !== undefined
    ? { kind: 'date', year: n(1), month: n(2) - 1, day: n(3), hour: n(4), minute: n(5), second: n(6), frac: m[7] }
    : m[8] !== undefined
      ? { kind: 'time-of-day', hour: n(8), minute: n(9), second: n(10), frac: m[11] }
      : { kind: 'epoch', seconds: BigInt(m[12]), frac: m[13] };
  s = s.slice(m[0].length + 1);
  const head: Head = { stamp, rest: s };
  if (frame !== undefined) head.frame = frame;
  const any = ANY.exec(s);
  if (any && !/^(IP6?|ARP)$/.test(any[1])) {
    head.iface = any[1];
    head.direction = DIRECTIONS[any[2]];
    s = s.slice(any[0].length);
  }
  const link = ETHER.exec(s) ?? COOKED.exec(s);
  if (link) {
    head.srcMac = link[1].toLowerCase();
    head.linkLength = Number(link[2]);
    s = s.slice(link[0].length);
  }
  head.rest = s;
  return head;
}

/** `IP (…)` / `IP6 (…)` / a bare `(…)` after `-e`: the details, and what follows them. */
export function parseIpDetails(rest: string): { details: IpDetails; after: string } | null {
  const m = /^(?:(IP6?) )?\(((?:tos|hlim|flowlabel|class)[^()]*(?:\([^()]*\)[^()]*)*)\)\s*/.exec(rest);
  if (!m) return null;
  const body = m[2];
  const v6 = m[1] === 'IP6' || /\bhlim\b|next-header/.test(body);
  const details: IpDetails = { ipVersion: v6 ? 6 : 4 };
  const ttl = /\b(?:ttl|hlim) (\d+)/.exec(body);
  if (ttl) details.ttl = Number(ttl[1]);
  const proto = /\b(?:proto|next-header) \S+ \((\d+)\)/.exec(body);
  if (proto) details.proto = Number(proto[1]);
  const len = /\b(?:payload )?length (\d+)/.exec(body);
  if (len) details.length = Number(len[1]);
  return { details, after: rest.slice(m[0].length) };
}

const VRRP = new RegExp(
  '^(\\S+) > (\\S+): (AH\\((?:[^()]|\\([^()]*\\))*\\): )?VRRPv(\\d), (\\w+), vrid (\\d+), prio (\\d+)(?:, authtype (\\w+))?, intvl (\\d+)(s|cs), length (\\d+)' +
  '(?:, \\(bad vrrp cksum ([0-9a-f]+)\\))?(?:, addrs(?:\\(\\d+\\))?: (\\S+))?(?: auth "(.*)")?',
);
const AUTH: Record<string, number> = { none: 0, simple: 1, ah: 2 };

/** `src > dst: VRRPv2, Advertisement, vrid 150, …` (after `IP `/`IP6 `/the details); null for any other protocol. */
export function parseVrrp(s: string): VrrpText | null {
  const m = VRRP.exec(s.replace(/^IP6? /, ''));
  if (!m) return null;
  const v: VrrpText = {
    src: m[1], dst: m[2], ah: m[3] !== undefined, version: Number(m[4]), type: m[5] === 'Advertisement' ? 1 : 0,
    vrid: Number(m[6]), priority: Number(m[7]), interval: Number(m[9]), intervalUnit: m[10] as 's' | 'cs', length: Number(m[11]),
  };
  if (m[8] !== undefined && AUTH[m[8]] !== undefined) v.authType = AUTH[m[8]];
  if (m[12] !== undefined) v.badChecksum = parseInt(m[12], 16);
  if (m[13] !== undefined) v.addresses = m[13].split(',');
  if (m[14] !== undefined) v.authData = m[14];
  return v;
}

/** `ARP, Request who-has X (…) tell X` or `ARP, Reply X is-at MAC`: a gratuitous ARP for X, with its MAC when shown. */
export function parseGarp(rest: string): { op: 1 | 2; address: string; mac?: string } | null {
  const req = /^(?:ARP, )?(?:Ethernet \(len 6\), IPv4 \(len 4\), )?Request who-has (\S+)(?: \([^)]*\))? tell (\S+),/.exec(rest);
  if (req) return req[1] === req[2] ? { op: 1, address: req[1] } : null;
  const rep = new RegExp(`^(?:ARP, )?(?:Ethernet \\(len 6\\), IPv4 \\(len 4\\), )?Reply (\\S+) is-at (${MAC})`, 'i').exec(rest);
  return rep ? { op: 2, address: rep[1], mac: rep[2].toLowerCase() } : null;
}

/** a packet line with a stamp that cannot be placed in time (`-t`: none; `-ttt`, `-ttttt`: deltas) */
export const UNTIMED = /^(?:\s*\d+\s+)?(?:\s*\d{2}:\d{2}:\d{2}\.\d+ )?(?:IP6? |ARP, )/;

/** Does this text look like tcpdump's output (most lines packet lines or `-v` continuations, some of them VRRP)? */
export function looksLikeTcpdumpText(lines: string[]): boolean {
  const sample = lines.slice(0, 40);
  let packets = 0;
  let continued = 0;
  let vrrp = 0;
  for (const l of sample) {
    if (parseHead(l) || UNTIMED.test(l)) packets++;
    else if (/^\s+\S+ > \S+: /.test(l)) continued++;
    if (/ > \S+: (?:AH\(.*?\): )?VRRPv\d, /.test(l)) vrrp++;
  }
  return vrrp > 0 && packets > 0 && (packets + continued) * 2 >= sample.length;
}
