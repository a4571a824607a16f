import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { inputZones, timeFlags, zoneFlags } from '../cli/flags.js';
import { LineSink, refuseInputAsOutput } from '../cli/output.js';
import { ForensicError } from '../errors.js';
import { prepareZone, type TimeStyle } from '../model/instant.js';
import { FORMATS, WITH_BRIEF, type Format } from '../report/formats.js';
import { rebasePaths } from '../report/paths.js';
import { parseAtFlag } from '../sources/conntrack/dump-time.js';

export default class Analyze extends BaseCommand {
  static override summary = 'One timeline across captures, conntrack and logs: when each VRRP source flipped to a translated address, why, and what followed.';
  static override examples = [
    '<%= config.bin %> analyze samples/seed-snat',
    '<%= config.bin %> analyze samples/split-brain --brief --format markdown -o incident.md',
    '<%= config.bin %> analyze samples/split-brain/gw-a samples/split-brain/gw-b --format png -o timeline.png',
    '<%= config.bin %> analyze samples/intermittent/gw-a/lan0-ns.pcap samples/intermittent/gw-b/syslog --tz Europe/Berlin --json',
    '<%= config.bin %> analyze samples/seed-snat --input-tz UTC --host-tz gw-b=Europe/Berlin --tz America/New_York',
  ];
  /** the British spelling, which the help's own prose uses */
  static override hiddenAliases = ['analyse'];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'captures, conntrack dumps, logs, keepalived.conf, iptables-save (files or folders, plain or gzip)', required: true }) };
  static override flags = {
    ...timeFlags,
    ...zoneFlags,
    format: Flags.string({ description: 'output format', options: [...FORMATS], default: 'text' }),
    json: Flags.boolean({ description: 'same as --format json' }),
    output: Flags.string({ char: 'o', description: 'write to FILE instead of standard output' }),
    year: Flags.integer({ description: 'year of the first line of year-less (RFC 3164) logs; inferred when absent', min: 0, max: 9999 }),
    host: Flags.string({ description: 'PATH=NAME: the host a file or folder belongs to (repeatable)', multiple: true }),
    'align-clocks': Flags.boolean({ description: 'shift each host\'s log times by its estimated clock offset against the captures' }),
    context: Flags.integer({ description: 'seconds of timeline shown around each finding (text and markdown)', default: 5 }),
    'generic-timeout': Flags.integer({ description: 'nf_conntrack_generic_timeout of the gateways (s)', default: 600 }),
    at: Flags.string({ description: 'dump time (RFC 3339 or epoch s) for conntrack files that do not state one' }),
    'show-secrets': Flags.boolean({ description: 'print VRRP auth strings and auth_pass instead of [redacted]' }),
    brief: Flags.boolean({ description: 'only the one-page summary: what happened, impact, root cause, each host\'s state at the end, the fix per host (text, markdown, html, json)' }),
    'absolute-paths': Flags.boolean({ description: 'absolute paths in the report (default: relative to the inputs\' common folder)' }),
    color: Flags.string({ description: 'colour in text output', options: ['auto', 'always', 'never'], default: 'auto' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Analyze);
    const tz = await prepareZone(flags.tz);
    const zones = await inputZones(flags);
    const hostFlags = (flags.host ?? []).map((h): [string, string] => {
      const i = h.lastIndexOf('=');
      if (i <= 0 || i === h.length - 1) throw new ForensicError('E_USAGE', `--host wants PATH=NAME, got "${h}"`);
      return [h.slice(0, i), h.slice(i + 1)];
    });
    // the engine and renderers load only when this command runs: other commands start without them
    const [{ analyze }, { renderReport }, { exitStatus }] = await Promise.all([import('../correlate/analyze.js'), import('../report/render.js'), import('../model/report.js')]);
    await refuseInputAsOutput(flags.output, argv as string[]);
    const analysed = await analyze(argv as string[], {
      tz, ...zones, year: flags.year, hostFlags, alignClocks: flags['align-clocks'], genericTimeout: flags['generic-timeout'],
      at: flags.at ? parseAtFlag(flags.at) : undefined, showSecrets: flags['show-secrets'],
    });
    const report = rebasePaths(analysed, { absolute: flags['absolute-paths'] });
    const format = (flags.json ? 'json' : flags.format) as Format;
    if (flags.brief && !WITH_BRIEF.includes(format)) throw new ForensicError('E_USAGE', `--brief is for ${WITH_BRIEF.join(', ')}; --format ${format} has no brief`);
    const sink = await LineSink.open(flags.output);
    if (format === 'png' && sink.isTTY) throw new ForensicError('E_USAGE', '--format png is binary: write it with -o FILE or redirect standard output');
    const colour = flags.color === 'always' || (flags.color === 'auto' && sink.isTTY && !process.env.NO_COLOR);
    // the text report is inert already; its colour codes are ours
    sink.raw = colour && format === 'text';
    const view = { tz, style: flags['time-format'] as TimeStyle, context: flags.context, colour, brief: flags.brief };
    await sink.write(await renderReport(report, format, view));
    await sink.close();
    this.reportInputErrors(report.inputs);
    process.exitCode = exitStatus(report);
  }
}
