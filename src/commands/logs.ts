import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { inputZones, outputFlags, timeFlags, zoneFlags } from '../cli/flags.js';
import { LineSink } from '../cli/output.js';
import { prepareZone, wallClockToEpochMs, type TimeStyle } from '../model/instant.js';
import { LOG_CSV_COLUMNS, logCsvRow, logJson, logLine, type LogViewOptions } from '../report/logs.js';
import { csvCell, forTerminal } from '../report/sanitize.js';
import { foldBoundProblem, LogCopies, logLineOf, mayHoldCopies } from '../correlate/copies.js';
import { foldedNote } from '../report/analysis-words.js';
import { problemMessage } from '../report/problem-words.js';
import { mergeByTime } from '../correlate/merge.js';
import { plural } from '../report/words.js';
import { redactDeep, textRedactor } from '../model/redact.js';
import { readKeepalivedConf } from '../sources/config/keepalived-conf.js';
import { detectKind } from '../sources/detect.js';
import { rotatedYears, orderRotated, readSyslog, rotationKey, type SyslogInfo, type YearResolver } from '../sources/syslog/reader.js';
import type { KaEvent } from '../model/keepalived.js';

type Timed = { at: bigint; e: KaEvent };

export default class Logs extends BaseCommand {
  static override summary = 'keepalived events from syslog, journal exports and keepalived log files, as a timeline.';
  static override examples = [
    '<%= config.bin %> logs samples/seed-snat/gw-b/syslog',
    '<%= config.bin %> logs samples/split-brain/gw-a/syslog.gz --tz Europe/Berlin --year 2026 --json',
  ];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'log files (plain or gzip), directories, or -', required: true }) };
  static override flags = {
    ...timeFlags,
    ...zoneFlags,
    ...outputFlags,
    year: Flags.integer({ description: 'year of the first line of year-less (RFC 3164) logs; inferred when absent', min: 0, max: 9999 }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Logs);
    const tz = await prepareZone(flags.tz);
    const view: LogViewOptions = { tz, style: flags['time-format'] as TimeStyle };
    const { inputTz, hostTz } = await inputZones(flags);
    const inputs = await this.inputsOf(argv as string[], flags.output);
    const sink = await LineSink.open(flags.output);
    const csv = flags.csv ? (await import('csv-stringify/sync')).stringify : null;
    if (csv) await sink.write(csv([LOG_CSV_COLUMNS]));
    if (flags.json) await sink.write('[');
    let n = 0;
    const infos: SyslogInfo[] = [];
    // secrets to keep out of the output: those of any keepalived.conf among the inputs (read for that only), and
    // named ones in the lines themselves (keepalived -D's "Password = …")
    const confs = await keepalivedConfs(inputs.map((x) => x.path));
    const fix = flags['show-secrets'] ? null : textRedactor(confs.flatMap((c) => c.secrets));
    const fromDir = new Map(inputs.map((x) => [x.path, x.fromDirectory]));
    const ordered = orderRotated(inputs.map((x) => x.path).filter((p) => !confs.some((c) => c.path === p)));
    // year-less rotated sets: the newest file is dated by its mtime, each older one by its newer neighbour
    const years = new Map<string, YearResolver>();
    if (flags.year === undefined) {
      const sets = new Map<string, string[]>();
      for (const p of ordered) if (p !== '-') sets.set(rotationKey(p)[0], [...(sets.get(rotationKey(p)[0]) ?? []), p]);
      for (const set of sets.values()) if (set.length > 1) for (const [p, y] of await rotatedYears(set)) years.set(p, y);
    }
    // every file is one lane of a merge by time; one host's copies of the same messages (rsyslog's two framings)
    // are folded line by line, as analyze does, so each event is printed and counted once
    const done = new Map<string, SyslogInfo>();
    // a file's zone-less times are read in its host's zone (--host-tz, by the hostname in its first lines) or --input-tz
    const zones = new Map<string, string>();
    if (hostTz.size) {
      const { peekSyslogHosts } = await import('../correlate/plan.js');
      for (const p of ordered) if (p !== '-') zones.set(p, (await peekSyslogHosts(p)).map((h) => hostTz.get(h)).find(Boolean) ?? inputTz);
    }
    const lanes = ordered.map((path) => {
      const zone = zones.get(path) ?? inputTz;
      const it = readSyslog(path, { tz: zone, toEpochMs: wallClockToEpochMs(zone), checkLocalTimes: true, year: flags.year, yearFrom: years.get(path) });
      return async (): Promise<IteratorResult<KaEvent[], unknown>> => {
        const r = await it.next();
        if (r.done) {
          done.set(path, r.value);
          return { done: true, value: undefined };
        }
        return r;
      };
    });
    const copies = new LogCopies<Timed>((x) => logLineOf(x.e, null));
    // whether redacting changes a message, once per message (a storm repeats a handful)
    const secretIn = new Map<string, boolean>();
    const hasSecret = (m: string): boolean => {
      let has = secretIn.get(m);
      if (has === undefined) {
        has = fix!(m) !== m;
        if (secretIn.size >= 4096) secretIn.clear();
        secretIn.set(m, has);
      }
      return has;
    };
    const print = async (items: KaEvent[]) => {
      // one write per batch: a storm of 100,000s of events is not 100,000s of awaits
      let out = '';
      for (const raw of items) {
        const e = fix && hasSecret(raw.message) ? redactDeep(raw, fix) : raw;
        if (flags.json) out += (n ? ',\n' : '\n') + JSON.stringify(logJson(e));
        else if (csv) out += csv([logCsvRow(e).map(csvCell)]);
        else out += logLine(e, view) + '\n';
        n++;
      }
      if (out) await sink.write(out);
    };
    if (mayHoldCopies(ordered.map((p) => ({ path: p, host: null })))) {
      const timed = lanes.map((lane) => async (): Promise<IteratorResult<Timed[], unknown>> => {
        const r = await lane();
        return r.done ? r : { done: false, value: r.value.map((e) => ({ at: e.time, e })) };
      });
      const events = (xs: Timed[]) => xs.map((x) => x.e);
      for await (const batch of mergeByTime<Timed>(timed, { late: 0 })) await print(events(batch.flatMap((x) => copies.push(x))));
      await print(events(copies.end()));
    } else {
      // one file or one rotated set: no line can be in two files; read in file order (oldest first), as written
      for (const lane of lanes) for (let r = await lane(); !r.done; r = await lane()) await print(r.value);
    }
    for (const path of ordered) {
      const info = done.get(path)!;
      // past the folding's bound: lines of this log whose copy had left already, counted twice — said, with how many
      const twice = copies.twice.get(path);
      if (twice) {
        const p = foldBoundProblem(twice);
        info.problems.push({ code: p.code, severity: p.severity, file: path, message: problemMessage(p) });
      }
      if (this.settleInput(info, { file: path, records: info.events, fromDirectory: fromDir.get(path) ?? false, otherKind: 'E_UNKNOWN_FORMAT' })) infos.push(info);
    }
    if (flags.json) await sink.write(n ? '\n]\n' : ']\n');
    else if (!csv) {
      const lines = ['', `Inputs (times shown in ${tz}):`];
      for (const i of infos) {
        const y = i.year ? `; year ${i.year.firstYear}${i.year.rollovers ? `–${i.year.firstYear + i.year.rollovers}` : ''} from ${i.year.source}${i.year.weak ? ' (weak)' : ''}` : '';
        // hostnames come from the logs: attacker-controllable, so made inert like every other line
        const folded = copies.folded.get(i.file);
        const twice = folded ? `; ${foldedNote([...folded].map(([keptIn, messages]) => ({ keptIn, messages })))}` : '';
        lines.push(forTerminal(`  ${i.file}: ${Object.keys(i.framings).join('+') || 'no keepalived lines'}; host ${i.hosts.join(',') || '-'}; ${plural(i.events, 'keepalived event')}, ${plural(i.otherLines, 'other line')} skipped${y}${i.framings.rfc3164 || i.framings['keepalived-log-file'] ? `; zone-less times read in ${i.timezone}` : ''}${twice}`));
      }
      await sink.write(lines.join('\n') + '\n');
    }
    await sink.close();
    this.finishInputs('logs');
  }
}

/**
 * The keepalived.conf files among the inputs, with their secrets. Only files whose name says keepalived or .conf are
 * sniffed (by content): a folder of 100,000 logs is not opened twice for this.
 */
async function keepalivedConfs(paths: string[]): Promise<{ path: string; secrets: string[] }[]> {
  const out: { path: string; secrets: string[] }[] = [];
  for (const p of paths) {
    if (p === '-' || !/keepalived|\.conf$/i.test(p.split('/').pop() ?? '')) continue;
    if ((await detectKind(p)).kind !== 'keepalived-conf') continue;
    const conf = await readKeepalivedConf(p).catch(() => null);
    if (conf) out.push({ path: p, secrets: conf.secrets });
  }
  return out;
}
