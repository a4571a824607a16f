import { wallClockToEpochMs } from '../../model/instant.js';
import { openInput } from '../input.js';
import { CaptureParser, readCapture, sniffCapture, type CaptureInfo } from '../capture/reader.js';
import { LINKTYPE } from '../capture/link.js';
import { timeOf } from '../capture/packet.js';
import { lentReplay, PEEK_RECORDS, ReplayRecorder, sentByCapturer } from '../capture/replay.js';
import { looksLikeTcpdumpText } from '../tcpdump-text/line.js';
import { readTcpdumpText, TCPDUMP_TEXT } from '../tcpdump-text/reader.js';
import type { Source } from '../registry.js';

/** pcap/pcapng captures (by magic), and `tcpdump -n vrrp` output pasted from a ticket: capture evidence in text. */
export const CAPTURE: Source = {
  kind: 'capture',
  label: 'capture',
  checks: ['wire-sources'],
  signs: [
    { order: 10, test: (v) => { const format = sniffCapture(v.head); return format ? { format, reason: 'capture magic' } : null; } },
    { order: 50, test: (v) => (looksLikeTcpdumpText(v.lines) ? { format: TCPDUMP_TEXT, reason: 'tcpdump text output' } : null) },
  ],
  async peek(path) {
    const peek = await peekCapture(path);
    return { ...(peek.first !== null ? { firstPacket: peek.first } : {}), ...(peek.sent.size ? { sentAddresses: [...peek.sent] } : {}) };
  },
  /**
   * The adverts' times (a capture that runs on with other traffic — IPv6 router solicitations, ARP — must not stretch
   * an incident into the next one); tcpdump's text output too, its zone-less times read as UTC, as the logs are.
   */
  async span(path, format, opts, see) {
    const keep = opts.keep && format !== TCPDUMP_TEXT ? new ReplayRecorder(opts.keep.max) : null;
    const it = format === TCPDUMP_TEXT
      ? readTcpdumpText(path, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') })
      : readCapture(path, keep ? { onPacket: keep.onPacket } : {});
    let s = await it.next();
    while (!s.done) {
      keep?.add(s.value);
      for (const r of s.value) if (r.kind === 'vrrp' && r.time !== null) see(r.time);
      s = await it.next();
    }
    const replay = keep?.finish(s.value as CaptureInfo); // (a capture file's summary: keep is null for tcpdump text)
    if (replay) opts.keep!.put(replay);
    return s.value.error ? { error: s.value.error.toLine() } : {};
  },
};

/** Who sent a packet is said only by pcapng's packet flags or a Linux cooked header (tcpdump -i any). */
const marksDirection = (info: CaptureInfo) =>
  info.format === 'pcapng' || info.interfaces.some((i) => i.linkType === LINKTYPE.LINUX_SLL || i.linkType === LINKTYPE.LINUX_SLL2);

/**
 * A capture's first timed packet (dates year-less logs of the same period) and the sources of the adverts it marks as
 * sent by the capturing host (tcpdump -i any, pcapng direction flags): the capture's own addresses. A capture that
 * cannot mark direction (an Ethernet pcap) is looked at only up to its first packet: 2,000 adverts of a 2.6 GB
 * capture are half of it.
 */
async function peekCapture(file: string): Promise<{ first: bigint | null; sent: Set<string> }> {
  const lent = lentReplay(file); // read already by batch's scan, which noted what this would find
  if (lent) return { first: lent.peek.first, sent: new Set(lent.peek.sent) };
  let first: bigint | null = null;
  let seen = 0;
  const sent = new Set<string>();
  const parser = new CaptureParser(file, (rec) => {
    seen++;
    if (sentByCapturer(rec)) sent.add(rec.src);
  }, (v) => {
    if (first === null && !v.timeOutlier) {
      const t = timeOf(v);
      if (t.ns !== null) first = t.ns;
    }
  });
  const input = await openInput(file).catch(() => null);
  if (!input) return { first, sent };
  try {
    let enough = false;
    for await (const c of input.chunks) {
      parser.write(c);
      enough = seen >= PEEK_RECORDS || (first !== null && !marksDirection(parser.info));
      if (enough) break;
    }
    if (!enough) parser.end(); // the whole file was looked at: a packet held back at its end is judged too
  } catch {
    // a damaged capture is reported when it is read for real
  } finally {
    input.close();
  }
  return { first, sent };
}
