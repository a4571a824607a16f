import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { inputZones, timeFlags, zoneFlags } from '../cli/flags.js';
import { LineSink, refuseInputAsOutput } from '../cli/output.js';
import { ForensicError } from '../errors.js';
import { prepareZone, type TimeStyle } from '../model/instant.js';
import { parseAtFlag } from '../sources/conntrack/dump-time.js';
import { forTerminal } from '../report/sanitize.js';

export default class Timeline extends BaseCommand {
  static override summary = 'The merged timeline of captures, conntrack, logs and rulesets, without the findings.';
  static override examples = ['<%= config.bin %> timeline samples/intermittent --host gw-b --since 2026-11-25T06:22:10Z'];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'evidence files or folders', required: true }) };
  static override flags = {
    ...timeFlags,
    ...zoneFlags,
    json: Flags.boolean({ description: 'print JSON (array of entries)', exclusive: ['csv'] }),
    csv: Flags.boolean({ description: 'print CSV (formula-safe cells)', exclusive: ['json'] }),
    output: Flags.string({ char: 'o', description: 'write to FILE instead of standard output' }),
    since: Flags.string({ description: 'only entries at or after (RFC 3339 or epoch s)' }),
    until: Flags.string({ description: 'only entries at or before (RFC 3339 or epoch s)' }),
    host: Flags.string({ description: 'only this host (repeatable)', multiple: true }),
    vrid: Flags.integer({ description: 'only this vrid (entries without one are kept)', multiple: true }),
    'show-secrets': Flags.boolean({ description: 'print VRRP auth strings and passwords instead of [redacted]' }),
    year: Flags.integer({ description: 'year of the first line of year-less logs', min: 0, max: 9999 }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Timeline);
    const tz = await prepareZone(flags.tz);
    const since = flags.since ? parseAtFlag(flags.since) : undefined;
    const until = flags.until ? parseAtFlag(flags.until) : undefined;
    if (since !== undefined && until !== undefined && since > until) throw new ForensicError('E_USAGE', '--since is after --until');
    const [{ analyze }, { entryLine }, { timelineCsv }, { reportJson }, { exitStatus }] = await Promise.all([
      import('../correlate/analyze.js'), import('../report/analysis-view.js'), import('../report/analysis-csv.js'), import('../report/analysis-json.js'), import('../model/report.js'),
    ]);
    await refuseInputAsOutput(flags.output, argv as string[]);
    const report = await analyze(argv as string[], { tz, ...(await inputZones(flags)), year: flags.year, showSecrets: flags['show-secrets'] });
    const keep = report.timeline.filter((e) =>
      (since === undefined || (e.until ?? e.at) >= since) && (until === undefined || e.at <= until) &&
      (!flags.host?.length || flags.host.includes(e.host ?? '')) && (!flags.vrid?.length || e.vrid === undefined || flags.vrid.includes(e.vrid)));
    const view = { tz, style: flags['time-format'] as TimeStyle, context: 0, colour: false };
    const sink = await LineSink.open(flags.output);
    if (flags.json) await sink.write(reportJson(keep));
    else if (flags.csv) await sink.write(await timelineCsv({ ...report, timeline: keep }, view));
    else for (const e of keep) await sink.write(forTerminal(entryLine(e, view)) + '\n');
    await sink.close();
    this.reportInputErrors(report.inputs);
    // timeline has no findings to report: only an unreadable input changes its exit status
    if (exitStatus(report) === 2) process.exitCode = 2;
  }
}
