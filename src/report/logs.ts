import { formatInstant, toRfc3339, type TimeStyle } from '../model/instant.js';
import type { KaEvent } from '../model/keepalived.js';
import type { KaFields } from '../model/keepalived.js';
import { forTerminal } from './sanitize.js';

export interface LogViewOptions {
  tz: string;
  style: TimeStyle;
}

/** The fields of an event, as one short phrase. */
export function detail(e: KaEvent): string {
  const f: KaFields = e.fields;
  switch (e.type) {
    case 'state': return `${f.transition ? 'transition to' : 'entering'} ${f.state}${f.init ? ' (init)' : ''}`;
    case 'group-state': return `sync group ${f.group}: ${f.transition ? 'transition to' : 'every instance to'} ${f.state}`;
    case 'higher-priority-advert': return `advert from ${f.peer ?? '?'} with higher priority ${f.peerPriority}${f.ownPriority !== undefined ? `, ours ${f.ownPriority}` : ''}`;
    case 'same-priority-higher-ip': return `advert from ${f.peer ?? '?'} with the same priority ${f.peerPriority} and a higher address`;
    case 'lower-priority-advert': return `advert from ${f.peer ?? '?'} with lower priority ${f.peerPriority}${f.ownPriority !== undefined ? `, ours ${f.ownPriority}` : ''}${f.forcingElection ? ', forcing new election' : ''}`;
    case 'lower-priority-discarded': return `discarded lower-priority (${f.peerPriority}) advert from ${f.peer}`;
    case 'advert-timeout': return 'no advert within the master-down interval';
    case 'priority-zero-received': return `priority-0 advert received (as ${f.role})`;
    case 'sent-priority-zero': return 'sent priority 0 (resigning)';
    case 'priority-changed': return `effective priority ${f.from ?? '?'} → ${f.to}`;
    case 'script-status': return `script ${f.script} now returning ${f.exitCode}`;
    case 'script-result': return `script ${f.script} ${f.result}${f.exitCode !== undefined ? ` (${f.exitCode})` : ''}`;
    case 'invalid-checksum': return `invalid VRRPv${f.checksumVersion} checksum${f.peer ? ` from ${f.peer}` : ''}`;
    case 'not-unicast-peer': return `advert from ${f.peer}, not a unicast peer`;
    case 'vips': return `VIPs ${f.action}`;
    case 'garp-queued': case 'garp-sent': return `gratuitous ARP on ${f.interface} for ${f.address}`;
    case 'interface': return `${f.interface} ${f.up ? 'up' : 'down'}`;
    case 'address-assigned': return `${f.address} on ${f.interface}`;
    case 'start': return `keepalived ${f.version} starting`;
    case 'child-start': return `VRRP child pid ${f.pid}`;
    default: return e.message;
  }
}

/**
 * One event as a line. forTerminal works character by character, so the pieces are made safe apart: the part the
 * message decides (host, instance, type, detail) once per message and host, the file's name once per file — a storm
 * prints a handful of messages 100,000s of times, and escaping and wording each line whole was most of its printing.
 */
export function logLine(e: KaEvent, o: LogViewOptions): string {
  return `${forTerminal(formatInstant(e.time, o.tz, o.style, e.precision))}  ${middle(e)}  ${fileText(e.file)}:${e.line}`;
}

/** per classified message (its fields object, shared by every line of that message): the middle of its lines */
const middles = new WeakMap<KaFields, { host: string | undefined; type: string; message: string; text: string }>();

function middle(e: KaEvent): string {
  const m = middles.get(e.fields);
  // (the message too: a joined continuation line keeps its first line's fields, and 'raw' events show the message)
  if (m && m.host === e.host && m.type === e.type && m.message === e.message) return m.text;
  const text = forTerminal(`${e.host ?? '-'}  ${e.fields.instance ?? e.fields.group ?? '-'}  ${e.type}  ${detail(e)}`);
  middles.set(e.fields, { host: e.host, type: e.type, message: e.message, text });
  return text;
}

let lastFile = { file: '', text: '' };

function fileText(file: string): string {
  if (lastFile.file !== file) lastFile = { file, text: forTerminal(file) };
  return lastFile.text;
}

/** An event as JSON-ready data: its one bigint (the time) as text, so it needs no replacer (2× slower to print). */
export function logJson(e: KaEvent): Record<string, unknown> {
  const { time, ...rest } = e;
  return { time: toRfc3339(time), epochNs: time.toString(), ...rest };
}

export const LOG_CSV_COLUMNS = ['time', 'host', 'program', 'pid', 'instance', 'event', 'detail', 'file', 'line', 'message'];

export function logCsvRow(e: KaEvent): unknown[] {
  return [toRfc3339(e.time), e.host ?? '', e.program, e.pid ?? '', e.fields.instance ?? '', e.type, detail(e), e.file, e.line, e.message];
}
