import { asForensicError } from '../errors.js';
import { openInput } from './input.js';
import { sniffCapture, type CaptureFormat } from './capture/reader.js';
import { parseDateLine } from './conntrack/dump-time.js';
import { parseTextLine } from './conntrack/text-line.js';
import { parseFrame } from './syslog/framing.js';
import { parseRuleset } from './config/firewall.js';
import { detectMember } from './archive/members.js';
import { looksLikeTcpdumpText } from './tcpdump-text/line.js';
import { TCPDUMP_TEXT } from './tcpdump-text/reader.js';

export type InputKind = 'capture' | 'conntrack' | 'syslog' | 'keepalived-conf' | 'firewall' | 'unknown';

export interface Detected {
  path: string;
  kind: InputKind;
  format?: CaptureFormat | string;
  gzip: boolean;
  /** why it was classified so (for the inputs summary) */
  reason: string;
}

/** How much of a text file is looked at to tell its kind: enough for a few dozen lines. */
const SNIFF_BYTES = 16 * 1024;

/**
 * Tells what a file is from its content (never its name): pcap/pcapng by magic, then — for text, gzip or not — the
 * first lines: conntrack entries, syslog framings, keepalived.conf blocks, iptables-save/nft rulesets.
 */
export async function detectKind(path: string): Promise<Detected> {
  const member = await detectMember(path);
  if (member) return member;
  let input;
  try {
    input = await openInput(path, SNIFF_BYTES);
  } catch (err) {
    return { path, kind: 'unknown', gzip: false, reason: asForensicError(err, path).message };
  }
  try {
    if (sniffCapture(input.head)) return classifyContent(path, input.head, input.gzip);
    const parts: Buffer[] = [];
    let have = 0;
    try {
      for await (const c of input.chunks) {
        parts.push(Buffer.from(c));
        have += c.length;
        if (have >= SNIFF_BYTES) break;
      }
    } catch (err) {
      // a gzip stream that breaks in its first kilobytes (found by fuzzing analyze): unknown, with the reason
      if (!parts.length) return { path, kind: 'unknown', gzip: input.gzip, reason: asForensicError(err, path).message };
    }
    return classifyContent(path, Buffer.concat(parts).subarray(0, SNIFF_BYTES), input.gzip);
  } finally {
    input.close();
  }
}

/** The kind of content from its first (decompressed) bytes — up to SNIFF_BYTES: for files and archive members alike. */
export function classifyContent(path: string, head: Buffer, gzip: boolean): Detected {
  const capture = sniffCapture(head);
  if (capture) return { path, kind: 'capture', format: capture, gzip, reason: 'capture magic' };
  const text = head.subarray(0, SNIFF_BYTES).toString('utf8');
  if (text.includes('\u0000')) return { path, kind: 'unknown', gzip, reason: 'binary content' };
  const lines = text.split('\n').slice(0, -1).map((l) => l.replace(/\r$/, '')).filter((l) => l.trim());
  const rules = parseRuleset(text);
  if (rules) return { path, kind: 'firewall', format: rules.format, gzip, reason: `${rules.rules.length} rules` };
  if (/^\s*(vrrp_instance|vrrp_script|global_defs|vrrp_sync_group|virtual_server)\b/m.test(text)) {
    return { path, kind: 'keepalived-conf', gzip, reason: 'keepalived.conf blocks' };
  }
  if (/^\s*(<\?xml[^>]*>\s*)?<conntrack>/.test(text)) return { path, kind: 'conntrack', gzip, reason: 'conntrack XML' };
  // `tcpdump -n vrrp` output pasted from a ticket: capture evidence in text
  if (looksLikeTcpdumpText(lines)) return { path, kind: 'capture', format: TCPDUMP_TEXT, gzip, reason: 'tcpdump text output' };
  const sample = lines.slice(0, 40);
  const count = (f: (l: string) => boolean) => sample.filter(f).length;
  const ct = count((l) => 'entry' in parseTextLine(l)) + count((l) => l.trim().startsWith('<flow'));
  const sys = count((l) => parseFrame(l) !== null);
  // most lines, not a few: a README or a ticket that quotes an entry or a log line is not evidence of that kind
  const most = (k: number) => k > 0 && k * 2 >= sample.length;
  if (most(ct) && ct >= sys) return { path, kind: 'conntrack', gzip, reason: `${ct} of the first ${sample.length} lines are conntrack entries` };
  if (most(sys)) return { path, kind: 'syslog', gzip, reason: `${sys} of the first ${sample.length} lines have syslog framing` };
  // `date; cat /proc/net/nf_conntrack` while the table held nothing: a snapshot of an empty table is evidence too
  if (lines.length === 1 && parseDateLine(lines[0]) !== null) return { path, kind: 'conntrack', gzip, reason: 'a date line and no entries (a snapshot of an empty table)' };
  return { path, kind: 'unknown', gzip, reason: 'no known format in the first lines' };
}
