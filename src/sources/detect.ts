import { asForensicError, type ErrorCode } from '../errors.js';
import { openInput } from './input.js';
import type { CaptureFormat } from './capture/reader.js';
import { detectMember } from './archive/members.js';
import { sources, TEXT_ORDER, VOTE_ORDER, type InputKind, type Sighting, type SniffView, type Source } from './registry.js';

export type { InputKind } from './registry.js';

export interface Detected {
  path: string;
  kind: InputKind;
  format?: CaptureFormat | string;
  gzip: boolean;
  /** why it was classified so (for the inputs summary) */
  reason: string;
  /** unknown because reading it failed: the error's own code (a damaged gzip or archive), kept for the report */
  code?: ErrorCode;
}

/** How much of a text file is looked at to tell its kind: enough for a few dozen lines. */
const SNIFF_BYTES = 16 * 1024;

/**
 * Tells what a file is from its content (never its name), by the signs of the kinds in the registry (sources/kinds/):
 * pcap/pcapng by magic, then — for text, gzip or not — the first lines: iptables-save/nft rulesets, keepalived.conf
 * blocks, conntrack XML, tcpdump text, a vote of conntrack entries against syslog framings.
 */
export async function detectKind(path: string): Promise<Detected> {
  const member = await detectMember(path);
  if (member) return member;
  let input;
  try {
    input = await openInput(path, SNIFF_BYTES);
  } catch (err) {
    const fe = asForensicError(err, path);
    return { path, kind: 'unknown', gzip: false, reason: fe.message, code: fe.code };
  }
  try {
    if (rawKind(input.head)) return classifyContent(path, input.head, input.gzip);
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
      if (!parts.length) {
        const fe = asForensicError(err, path);
        return { path, kind: 'unknown', gzip: input.gzip, reason: fe.message, code: fe.code };
      }
    }
    return classifyContent(path, Buffer.concat(parts).subarray(0, SNIFF_BYTES), input.gzip);
  } finally {
    input.close();
  }
}

type Found = { source: Source; sighting: Sighting };
type Step = { order: number; test(v: SniffView): Found | null };

/**
 * Every kind's signs and the line vote (at VOTE_ORDER), in the order they are tried: worked out at the first call (the
 * registry imports readers that import this module back, so it is not ready while this one loads).
 */
let steps: Step[] | null = null;
function ordered(): Step[] {
  if (!steps) {
    const signs = sources().flatMap((source) => source.signs.map((sign): Step => ({ order: sign.order, test: (v) => found(source, sign.test(v)) })));
    const voters = sources().filter((s) => s.vote).sort((a, b) => a.vote!.rank - b.vote!.rank);
    steps = [...signs, { order: VOTE_ORDER, test: (v: SniffView) => vote(voters, v) }].sort((a, b) => a.order - b.order);
  }
  return steps;
}
const found = (source: Source, sighting: Sighting | null): Found | null => (sighting ? { source, sighting } : null);

/**
 * The kind of content from its first (decompressed) bytes — up to SNIFF_BYTES: for files and archive members alike.
 * Each kind's signs (sources/kinds/) are tried by order, the line vote among them; below TEXT_ORDER on the raw bytes.
 */
export function classifyContent(path: string, head: Buffer, gzip: boolean): Detected {
  const detected = ({ source, sighting: s }: Found): Detected =>
    ({ path, kind: source.kind, ...(s.format !== undefined ? { format: s.format } : {}), gzip, reason: s.reason });
  const raw = rawKind(head);
  if (raw) return detected(raw);
  const text = head.subarray(0, SNIFF_BYTES).toString('utf8');
  if (text.includes('\u0000')) return { path, kind: 'unknown', gzip, reason: 'binary content' };
  const lines = text.split('\n').slice(0, -1).map((l) => l.replace(/\r$/, '')).filter((l) => l.trim());
  const view: SniffView = { head, text, lines, sample: lines.slice(0, 40) };
  for (const step of ordered()) {
    const f = step.order >= TEXT_ORDER ? step.test(view) : null;
    if (f) return detected(f);
  }
  return { path, kind: 'unknown', gzip, reason: 'no known format in the first lines' };
}

/** A kind told by its first bytes alone (a capture's magic): no need to read further. */
function rawKind(head: Buffer): Found | null {
  const view: SniffView = { head, text: '', lines: [], sample: [] };
  for (const step of ordered()) {
    if (step.order >= TEXT_ORDER) break;
    const f = step.test(view);
    if (f) return f;
  }
  return null;
}

/** The kind most of the sampled lines are evidence of (see Vote: most lines, and more than any other; ties by rank). */
function vote(voters: Source[], v: SniffView): Found | null {
  const most = (k: number) => k > 0 && k * 2 >= v.sample.length;
  let best: { source: Source; k: number } | null = null;
  for (const source of voters) {
    let k = 0;
    for (const l of v.sample) k += source.vote!.count(l);
    if (most(k) && (best === null || k > best.k)) best = { source, k };
  }
  return best && { source: best.source, sighting: { reason: best.source.vote!.reason(best.k, v.sample.length) } };
}
