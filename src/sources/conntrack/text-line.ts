import { canonicalIp, parseIp } from '../../model/address.js';
import { inTimeRange, outOfRangeText } from '../../model/instant.js';
import type { ConntrackEntry, CtEvent, Tuple } from '../../model/conntrack.js';

const TS_PREFIX = /^\[(\d+)\.(\d{1,9})\]\s*/;
const EVENT = /^\s*\[(NEW|UPDATE|DESTROY)\]\s*/;
const KTIME = /\[(start|stop)=([^\]]*)\]/g;
const STATES = new Set([
  'NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2',
  'CLOSED', 'COOKIE_WAIT', 'COOKIE_ECHOED', 'SHUTDOWN_SENT', 'SHUTDOWN_RECD', 'SHUTDOWN_ACK_SENT', 'HEARTBEAT_SENT',
  'HEARTBEAT_ACKED', 'REQUEST', 'RESPOND', 'PARTOPEN', 'OPEN', 'CLOSEREQ', 'CLOSING', 'TIMEWAIT', 'IGNORE', 'INVALID',
]);

/**
 * /proc/net/nf_conntrack and `-o extended` start with L3NAME L3NUM before L4NAME L4NUM; ip_conntrack and plain `-L`
 * do not (reference/conntrack.md §1.0). L3NUM is the address family, 2 or 10.
 */
function hasL3Columns(head: string[]): boolean {
  return (head[0] === 'ipv4' || head[0] === 'ipv6' || head[0] === 'unknown') && (head[1] === '2' || head[1] === '10') && /^\d+$/.test(head[3] ?? '');
}

/** badTime: an entry whose time cannot be used (out of range, no calendar date): flagged E_BAD_TIME and skipped */
export type LineResult = { entry: Omit<ConntrackEntry, 'file' | 'line'> } | { skip: true } | { error: string; badTime?: true };

function num(v: string): number | undefined {
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * One text line of any conntrack dump: /proc/net/nf_conntrack, /proc/net/ip_conntrack, conntrack -L (default and
 * -o extended/ktimestamp/id/labels), conntrack -E (with or without -o timestamp). One tolerant token model covers them
 * all (reference/conntrack.md §1.0): never rely on column positions, take the protocol by number.
 */
export function parseTextLine(raw: string): LineResult {
  let s = raw.trim();
  if (!s) return { skip: true };
  // the tool's stderr summary, when saved with 2>&1
  if (/^conntrack v[\d.]+ \(conntrack-tools\):/.test(s)) return { skip: true };
  let eventTime: bigint | undefined;
  const ts = TS_PREFIX.exec(s);
  if (ts) {
    eventTime = BigInt(ts[1]) * 1_000_000_000n + BigInt(ts[2].padEnd(9, '0'));
    if (!inTimeRange(eventTime)) return { error: `event ${outOfRangeText(eventTime)}`, badTime: true };
    s = s.slice(ts[0].length);
  }
  let event: CtEvent | undefined;
  const ev = EVENT.exec(s);
  if (ev) {
    event = ev[1] as CtEvent;
    s = s.slice(ev[0].length);
  }
  let startText: string | undefined;
  let stopText: string | undefined;
  if (s.includes('[start=') || s.includes('[stop=')) {
    s = s.replace(KTIME, (_m, k: string, v: string) => {
      if (k === 'start') startText = v;
      else stopText = v;
      return ' ';
    });
  }
  const tokens = s.split(s.includes('\t') || s.includes('  ') ? /\s+/ : ' ');
  let firstSrc = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].startsWith('src=')) {
      firstSrc = i;
      break;
    }
  }
  if (firstSrc < 2) return { error: 'not a conntrack entry (no protocol columns before the first src=)' };
  const head = tokens.slice(0, firstSrc);
  let family: 'ipv4' | 'ipv6' | undefined;
  let h = 0;
  if (hasL3Columns(head)) {
    family = head[1] === '2' ? 'ipv4' : 'ipv6';
    h = 2;
  }
  const protoName = head[h];
  const protoNum = num(head[h + 1] ?? '');
  if (protoName === undefined || protoNum === undefined || !/^[a-z0-9_-]+$/i.test(protoName)) {
    return { error: 'not a conntrack entry (expected "PROTO NUMBER" before the tuples)' };
  }
  let timeout: number | undefined;
  let state: string | undefined;
  for (const t of head.slice(h + 2)) {
    if (/^\d+$/.test(t) && timeout === undefined) timeout = Number(t);
    else if (STATES.has(t)) state = t;
    else if (/^[a-z_]+=/.test(t)) continue; // old kernels' GRE "timeout=600," private data
  }

  const e: Omit<ConntrackEntry, 'file' | 'line'> = {
    text: raw, protoName, protoNum, orig: { src: '', dst: '' }, reply: { src: '', dst: '' }, unreplied: false, assured: false,
  };
  if (family) e.family = family;
  if (event) e.event = event;
  if (eventTime !== undefined) e.eventTime = eventTime;
  if (timeout !== undefined) e.timeout = timeout;
  if (state) e.state = state;
  if (startText !== undefined) e.startText = startText;
  if (stopText !== undefined) e.stopText = stopText;

  let tupleNo = 0; // 1 = original, 2 = reply
  let tuple: Tuple = e.orig;
  let afterUserspace = false;
  for (let i = firstSrc; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t[0] === '[') {
      if (t === '[UNREPLIED]') e.unreplied = true;
      else if (t === '[ASSURED]') e.assured = true;
      else if (t === '[OFFLOAD]') e.offload = 'OFFLOAD';
      else if (t === '[HW_OFFLOAD]') e.offload = 'HW_OFFLOAD';
      else if (t === '[USERSPACE]') {
        e.userspace = { portid: 0 };
        afterUserspace = true;
      }
      continue;
    }
    const eq = t.indexOf('=');
    if (eq < 0) continue;
    const k = t.slice(0, eq);
    const v = t.charCodeAt(t.length - 1) === 44 /* , */ ? t.slice(eq + 1, -1) : t.slice(eq + 1);
    if (afterUserspace && e.userspace) {
      if (k === 'portid') e.userspace.portid = Number(v);
      else if (k === 'progname') e.userspace.progname = v;
      continue;
    }
    switch (k) {
      case 'src':
        tupleNo++;
        if (tupleNo > 2) return { error: 'more than two tuples on one line' };
        tuple = tupleNo === 1 ? e.orig : e.reply;
        tuple.src = canonicalIp(v);
        break;
      case 'dst': tuple.dst = canonicalIp(v); break;
      case 'sport': tuple.sport = num(v); break;
      case 'dport': tuple.dport = num(v); break;
      case 'type': tuple.type = num(v); break;
      case 'code': tuple.code = num(v); break;
      case 'id':
        // icmp tuples end in type= code= id=; any other id= is the conntrack id (-o id)
        if (tokens[i - 1]?.startsWith('code=')) tuple.id = num(v);
        else e.ctId = num(v);
        break;
      case 'srckey': tuple.srckey = v; break;
      case 'dstkey': tuple.dstkey = v; break;
      case 'packets': {
        const bytes = tokens[i + 1]?.startsWith('bytes=') ? Number(tokens[i + 1].slice(6)) : 0;
        const c = { packets: Number(v), bytes };
        if (tupleNo === 2) e.replyCounters = c;
        else e.origCounters = c;
        break;
      }
      case 'bytes': break;
      case 'zone-orig': e.zoneOrig = num(v); break;
      case 'zone-reply': e.zoneReply = num(v); break;
      case 'zone': e.zone = num(v); break;
      case 'mark': e.mark = num(v); break;
      case 'secmark': e.secmark = num(v); break;
      case 'secctx': e.secctx = v; break;
      case 'delta-time': e.deltaTime = num(v); break;
      case 'helper': e.helper = v; break;
      case 'labels': e.labels = v.split(',').filter(Boolean); break;
      default: break; // use=, timeout=…, unknown keys: ignored by design
    }
  }
  if (tupleNo < 2 || !e.orig.dst || !e.reply.dst) return { error: 'not a conntrack entry (needs an original and a reply tuple)' };
  // a damaged or hand-edited line ("dst=garbage") must not become a translation to a source that is no address
  for (const [k, a] of [['src', e.orig.src], ['dst', e.orig.dst], ['src', e.reply.src], ['dst', e.reply.dst]] as const) {
    if (!parseIp(a)) return { error: `not a conntrack entry (${k}=${a.slice(0, 40)} is not an IP address)` };
  }
  return { entry: e };
}

/** Just enough of a line to decide whether it matters: protocol and the four addresses. */
export interface LightEntry {
  protoName: string;
  protoNum: number;
  orig: { src: string; dst: string };
  reply: { src: string; dst: string };
}

function valueAt(s: string, key: string, from: number): [string, number] | null {
  const i = s.indexOf(key, from);
  if (i < 0) return null;
  let j = s.indexOf(' ', i);
  if (j < 0) j = s.length;
  return [s.slice(i + key.length, j), j];
}

/**
 * A cheap look at a text line (no tokenizing, no objects beyond the result): lets a caller skip the full parse of the
 * hundreds of thousands of ordinary entries in a gateway's table. null when the line is not an entry.
 */
export function peekTextLine(s: string): LightEntry | null {
  const a = valueAt(s, 'src=', 0);
  if (!a) return null;
  const b = valueAt(s, 'dst=', a[1]);
  if (!b) return null;
  const c = valueAt(s, 'src=', b[1]);
  if (!c) return null;
  const d = valueAt(s, 'dst=', c[1]);
  if (!d) return null;
  const head = s.slice(0, s.indexOf('src=')).split(/\s+/).filter((t) => t && t[0] !== '[');
  let h = 0;
  if (hasL3Columns(head)) h = 2;
  const protoNum = Number(head[h + 1]);
  if (head[h] === undefined || !Number.isInteger(protoNum)) return null;
  return { protoName: head[h], protoNum, orig: { src: a[0], dst: b[0] }, reply: { src: c[0], dst: d[0] } };
}
