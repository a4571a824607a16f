import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { inputZones, outputFlags, timeFlags, zoneFlags } from '../cli/flags.js';
import { LineSink } from '../cli/output.js';
import { ForensicError } from '../errors.js';
import { prepareZone, type TimeStyle } from '../model/instant.js';
import { flowCsvRow, flowJson, flowLines, FLOW_CSV_COLUMNS, inputLine, protoLabel, type ConntrackViewOptions } from '../report/conntrack.js';
import { csvCell, forTerminal } from '../report/sanitize.js';
import { parseAtFlag } from '../sources/conntrack/dump-time.js';
import { classifyNat, isMulticast, PROTO } from '../sources/conntrack/entry.js';
import type { ConntrackEntry } from '../model/conntrack.js';
import { ConntrackHistory, DEFAULT_GENERIC_TIMEOUT } from '../sources/conntrack/history.js';
import { readConntrack } from '../sources/conntrack/reader.js';
import type { ConntrackInfo } from '../model/conntrack.js';
import type { LightEntry } from '../sources/conntrack/text-line.js';

/** protocols the kernel tracks by name (reference/conntrack.md: everything else prints `unknown`) */
const TRACKED_BY_NAME = new Set([1, 6, 17, 33, 47, 58, 132, 136]);

const PROTO_NAMES: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, ah: 51, icmpv6: 58, vrrp: 112, sctp: 132, dccp: 33 };

export default class Conntrack extends BaseCommand {
  static override summary = 'Read saved conntrack state (dumps, -L in any -o form, -E event logs, XML): NAT per entry and when it was born.';
  static override examples = [
    '<%= config.bin %> conntrack samples/seed-snat/gw-a',
    '<%= config.bin %> conntrack samples/seed-snat/gw-a/nf_conntrack.1795586148 --at 2026-11-25T05:55:48Z --json',
    '<%= config.bin %> conntrack samples/seed-snat/gw-a/conntrack-events.log --all --proto tcp',
  ];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'dump files, event logs or directories of snapshots', required: true }) };
  static override flags = {
    ...timeFlags,
    'input-tz': zoneFlags['input-tz'],
    ...outputFlags,
    all: Flags.boolean({ description: 'every entry, not only VRRP/AH/IGMP and translated ones' }),
    translated: Flags.boolean({ description: 'also classify tcp/udp/icmp… entries: list those translated to a multicast address, count the rest per translated address (parses every entry)' }),
    proto: Flags.string({ description: 'only these protocols (name or number; repeatable)', multiple: true }),
    at: Flags.string({ description: 'dump time for files that state none (RFC 3339 or epoch seconds)' }),
    'generic-timeout': Flags.integer({ description: 'net.netfilter.nf_conntrack_generic_timeout in force', default: DEFAULT_GENERIC_TIMEOUT }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Conntrack);
    const tz = await prepareZone(flags.tz);
    const view: ConntrackViewOptions = { tz, style: flags['time-format'] as TimeStyle };
    const at = flags.at ? parseAtFlag(flags.at) : undefined;
    const protos = flags.proto?.map((p) => {
      const n = PROTO_NAMES[p.toLowerCase()] ?? (/^\d+$/.test(p) ? Number(p) : NaN);
      if (Number.isNaN(n)) throw new ForensicError('E_USAGE', `--proto ${p}: not a protocol name or number`);
      return n;
    });
    // What is listed: VRRP/AH/IGMP entries, and translated entries of protocols conntrack tracks generically. Entries
    // of the protocols it tracks by name (tcp, udp, icmp…: nearly all of a table) are counted from their bytes, never
    // parsed (sieve.ts) — unless --translated asks for them: then those translated to a multicast address are listed
    // and the rest counted per translated address, so a 262,144-entry table stays small in memory and output.
    const others = new Map<string, number>();
    const keep = (e: ConntrackEntry | LightEntry): boolean => {
      if (protos) return protos.includes(e.protoNum);
      if (flags.all) return true;
      if (e.protoNum === PROTO.VRRP || e.protoNum === PROTO.AH || e.protoNum === PROTO.IGMP) return true;
      if (!flags.translated && TRACKED_BY_NAME.has(e.protoNum)) return false;
      const nat = classifyNat(e);
      if (nat.kind === 'none') return false;
      if (isMulticast(e.orig.dst) || e.protoName === 'unknown') return true;
      const k = `${e.protoNum} ${nat.kind} ${nat.translatedSource ?? ''}>${nat.translatedDestination ?? ''}`;
      others.set(k, (others.get(k) ?? 0) + 1);
      return false;
    };
    const protocols = protos ? (n: number) => protos.includes(n) : flags.all || flags.translated ? undefined : (n: number) => !TRACKED_BY_NAME.has(n);
    const { inputTz } = await inputZones(flags);
    const ctimeToEpochMs = inputTz === 'UTC' ? undefined : await zoneCtime(inputTz);
    const history = new ConntrackHistory({ genericTimeout: flags['generic-timeout'], ctimeToEpochMs });
    const infos: ConntrackInfo[] = [];
    for (const { path, fromDirectory } of await this.inputsOf(argv as string[], flags.output)) {
      // the cheap look decides; a kept line is parsed in full and offered to keep() once more (same answer)
      const it = readConntrack(path, { at, prefilter: keep, protocols });
      let step = await it.next();
      while (!step.done) {
        for (const e of step.value) if (keep(e)) history.add(e);
        step = await it.next();
      }
      const info = step.value;
      if (this.settleInput(info, { file: path, records: info.entries, fromDirectory, otherKind: 'E_UNKNOWN_FORMAT' })) infos.push(info);
    }

    const flows = history.flows();
    const sink = await LineSink.open(flags.output);
    if (flags.json) {
      const counted = [...others].map(([k, count]) => {
        const [proto, translation, addrs] = k.split(' ');
        const [src, dst] = addrs.split('>');
        return { protocol: Number(proto), translation, translatedSource: src || null, translatedDestination: dst || null, entries: count };
      });
      await sink.write(JSON.stringify({ inputs: infos.map(infoJson), flows: flows.map(flowJson), otherTranslated: counted }, null, 1) + '\n');
    } else if (flags.csv) {
      const { stringify } = await import('csv-stringify/sync');
      await sink.write(stringify([FLOW_CSV_COLUMNS, ...flows.map((f) => flowCsvRow(f).map(csvCell))]));
    } else {
      const lines: string[] = [];
      for (const f of flows) lines.push(...flowLines(f, view));
      if (others.size) {
        lines.push('', 'Other translated entries (tcp/udp/icmp… to unicast; --all lists them):');
        for (const [k, count] of [...others].sort((a, b) => b[1] - a[1])) {
          const [proto, translation, addrs] = k.split(' ');
          const [src, dst] = addrs.split('>');
          lines.push(forTerminal(`  ${count} ${protoLabel(Number(proto))} entries: ${translation}${src ? ` to ${src}` : ''}${dst ? ` to ${dst}` : ''}`));
        }
      }
      if (!flows.length) {
        lines.push(flags.all || protos ? 'No conntrack entries.'
          : flags.translated ? 'No VRRP, AH, IGMP or translated entries (use --all to list every entry).'
          : 'No VRRP, AH, IGMP or translated generic-protocol entries (--translated also classifies tcp/udp/icmp… entries; --all lists every entry).');
      }
      lines.push('', `Inputs (times in ${tz}):`, ...infos.map((i) => inputLine(i, view)));
      await sink.write(lines.join('\n') + '\n');
    }
    await sink.close();
    this.finishInputs('conntrack dumps');
  }
}

function infoJson(i: ConntrackInfo) {
  return {
    path: i.file, kind: 'conntrack', format: i.format, options: i.options, gzip: i.gzip, lines: i.lines, records: i.entries,
    dumpTime: i.dumpTime ? { at: new Date(Number(i.dumpTime.ns / 1_000_000n)).toISOString(), from: i.dumpTime.source, weak: i.dumpTime.weak, via: i.dumpTime.via } : null,
    problems: i.problems.map((p) => ({ locator: p.line !== undefined ? `line ${p.line}` : p.offset !== undefined ? `byte ${p.offset}` : null, message: p.message })),
  };
}

/** ctime strings from -o ktimestamp are the dumping host's local time: read them in --input-tz. */
async function zoneCtime(tz: string) {
  const { TZDate } = await import('@date-fns/tz');
  return (y: number, mo: number, d: number, H: number, M: number, S: number) => new TZDate(y, mo, d, H, M, S, tz).getTime();
}
