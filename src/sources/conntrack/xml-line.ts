import { canonicalIp } from '../../model/address.js';
import type { ConntrackEntry, CtEvent, Tuple } from '../../model/conntrack.js';
import { invalidDateText } from '../../model/instant.js';
import type { LineResult } from './text-line.js';

const META = /<meta direction="(original|reply|independent)">([\s\S]*?)<\/meta>/g;

function tag(s: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(s);
  return m ? m[1] : undefined;
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/**
 * One `<flow>` of `conntrack -o xml` (one flow per line; `</conntrack>` may be missing in a cut file, so lines are
 * read one by one and the header and footer are skipped).
 */
export function parseXmlLine(raw: string): LineResult {
  const s = raw.trim();
  if (!s || s.startsWith('<?xml') || s === '<conntrack>' || s === '</conntrack>') return { skip: true };
  if (!s.startsWith('<flow')) return { error: 'not a conntrack XML flow' };
  const type = /^<flow type="(new|update|destroy)">/.exec(s);
  const e: Omit<ConntrackEntry, 'file' | 'line'> = {
    text: raw, protoName: 'unknown', protoNum: -1, orig: { src: '', dst: '' }, reply: { src: '', dst: '' }, unreplied: false, assured: false,
  };
  if (type) e.event = type[1].toUpperCase() as CtEvent;
  for (const m of s.matchAll(META)) {
    const dir = m[1];
    const body = m[2];
    if (dir === 'independent') {
      const n = (k: string) => (tag(body, k) === undefined ? undefined : Number(tag(body, k)));
      e.timeout = n('timeout');
      e.state = tag(body, 'state');
      e.mark = n('mark');
      e.zone = n('zone');
      e.secmark = n('secmark');
      e.ctId = n('id');
      e.deltaTime = n('deltatime');
      e.unreplied = body.includes('<unreplied/>');
      e.assured = body.includes('<assured/>');
      const start = tag(body, 'start');
      const stop = tag(body, 'stop');
      if (start) e.startNs = BigInt(start);
      if (stop) e.stopNs = BigInt(stop);
      const labels = [...body.matchAll(/<label>([^<]*)<\/label>/g)].map((x) => decode(x[1]));
      if (labels.length) e.labels = labels;
      for (const k of Object.keys(e) as (keyof typeof e)[]) if (e[k] === undefined) delete e[k];
      continue;
    }
    const l3 = /<layer3 protonum="(\d+)" protoname="([^"]*)">/.exec(body);
    const l4 = /<layer4 protonum="(\d+)" protoname="([^"]*)">/.exec(body);
    const t: Tuple = { src: canonicalIp(decode(tag(body, 'src') ?? '')), dst: canonicalIp(decode(tag(body, 'dst') ?? '')) };
    const sp = tag(body, 'sport');
    const dp = tag(body, 'dport');
    if (sp !== undefined) t.sport = Number(sp);
    if (dp !== undefined) t.dport = Number(dp);
    if (l3) e.family = l3[1] === '10' ? 'ipv6' : 'ipv4';
    if (l4) {
      e.protoNum = Number(l4[1]);
      e.protoName = l4[2];
    }
    const packets = tag(body, 'packets');
    const counters = packets === undefined ? undefined : { packets: Number(packets), bytes: Number(tag(body, 'bytes') ?? 0) };
    const zone = tag(body, 'zone');
    if (dir === 'original') {
      e.orig = t;
      if (counters) e.origCounters = counters;
      if (zone !== undefined) e.zoneOrig = Number(zone);
    } else {
      e.reply = t;
      if (counters) e.replyCounters = counters;
      if (zone !== undefined) e.zoneReply = Number(zone);
    }
  }
  const when = /<when><hour>(\d+)<\/hour><min>(\d+)<\/min><sec>(\d+)<\/sec><wday>\d+<\/wday><day>(\d+)<\/day><month>(\d+)<\/month><year>(\d+)<\/year><\/when>/.exec(s);
  if (when) {
    // local time of printing; read as UTC here and flagged by the caller's zone handling
    const [, H, M, S, d, mo, y] = when.map(Number);
    const bad = invalidDateText({ year: y, month: mo - 1, day: d, hour: H, minute: M, second: S });
    if (bad) return { error: `event time ${bad}`, badTime: true };
    e.eventTime = BigInt(Date.UTC(y, mo - 1, d, H, M, Math.min(S, 59))) * 1_000_000n;
  }
  const us = /\[USERSPACE\] portid=(\d+)(?: progname=(\S+))?/.exec(s);
  if (us) e.userspace = us[2] ? { portid: Number(us[1]), progname: us[2] } : { portid: Number(us[1]) };
  if (e.protoNum < 0 || !e.orig.dst || !e.reply.dst) return { error: 'conntrack XML flow without both tuples' };
  return { entry: e };
}
