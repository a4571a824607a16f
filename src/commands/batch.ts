import os from 'node:os';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { ForensicError } from '../errors.js';
import { prepareZone } from '../model/instant.js';
import { FORMATS, type Format } from '../report/formats.js';
import { parseShard } from '../batch/group.js';

export default class Batch extends BaseCommand {
  static override summary = 'Analyse archives of captures, dumps and logs: files grouped into incidents, one report per incident, a summary.';
  static override examples = [
    '<%= config.bin %> batch samples --out reports --format html',
    "<%= config.bin %> batch 'samples/**/*.pcap*' samples/split-brain --out reports --jobs 2 --resume",
    '<%= config.bin %> batch samples --out reports --shard 3/16',
    '<%= config.bin %> batch samples --per-dir --out reports',
  ];
  static override description = `Grouping: without --per-dir, files are grouped by the span of their VRRP evidence (adverts, keepalived lines, VRRP conntrack entries — not any packet): captures and conntrack dumps whose spans overlap within 5 s are one incident, whatever host wrote them; a log joins every incident it overlaps; configs, rulesets and files without VRRP evidence join the incidents of their folder. With --per-dir, one incident per folder directly under each given path (--depth N: N levels below it), whatever the times.
Archives (tar, tar.gz, tar.xz, tar.zst, zip; sos reports) are read in place, their members sniffed like files.
Reports are named <incident folder>--<group id>.<ext>; summary.json and summary.csv name each group's folders, member files (relative to the given path), hosts and findings, every time in RFC 3339 UTC.
One run at a time per --out (and shard): a second is refused. --resume skips a group only when its report is the one its summary line describes (size and SHA-256).`;
  static override strict = false;
  static override args = { paths: Args.string({ description: 'files, folders, or quoted globs (** crosses folders)', required: true }) };
  static override flags = {
    out: Flags.string({ description: 'folder for the reports and the summary', required: true }),
    format: Flags.string({ description: 'report format', options: [...FORMATS], default: 'json' }),
    jobs: Flags.integer({ description: 'worker threads (default: all cores)', min: 1 }),
    'per-dir': Flags.boolean({ description: 'one incident per folder directly under each given path (archive/<incident>/<host>/…), instead of grouping by the span of VRRP evidence' }),
    depth: Flags.integer({ description: 'with --per-dir: the incident folders are this many levels below each given path', min: 1, dependsOn: ['per-dir'] }),
    resume: Flags.boolean({ description: 'skip groups whose report exists and matches its summary line (size and digest); others are analysed again' }),
    shard: Flags.string({ description: 'K/N: take a deterministic share of the groups (stable across machines)' }),
    quiet: Flags.boolean({ description: 'no progress on stderr' }),
    tz: Flags.string({ description: 'IANA zone for zone-less log times', default: 'UTC' }),
    year: Flags.integer({ description: 'year of year-less log lines', min: 0, max: 9999 }),
    'show-secrets': Flags.boolean({ description: 'do not redact auth strings and passwords' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Batch);
    const tz = await prepareZone(flags.tz);
    let shard;
    try {
      shard = flags.shard ? parseShard(flags.shard) : undefined;
    } catch (err) {
      throw new ForensicError('E_USAGE', (err as Error).message);
    }
    const ac = new AbortController();
    // Ctrl-C: no new group starts, running ones stop, the summary of what was done is still written (a second signal —
    // the terminal's and bin/run.js's forwarded one — changes nothing)
    const onSig = () => ac.abort();
    process.on('SIGINT', onSig);
    process.on('SIGTERM', onSig);
    const { sweep, removePartials } = await import('../batch/sweep.js');
    // run again by bin/run.js (with an IPC channel): when that parent dies, even by kill -9, the channel closes and this
    // run stops at once — no orphan keeps writing reports (its temporary files are removed; the lock is released)
    if (process.send && process.channel) {
      process.channel.unref();
      process.on('disconnect', () => {
        removePartials(flags.out);
        process.exit(137);
      });
    }
    const result = await sweep({
      paths: argv as string[], out: flags.out, format: flags.format as Format, jobs: flags.jobs ?? os.availableParallelism(), perDir: flags['per-dir'] ? flags.depth ?? 1 : 0,
      resume: flags.resume, shard, progress: flags.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'lines', tz, year: flags.year,
      showSecrets: flags['show-secrets'], signal: ac.signal,
    }).finally(() => {
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
    });
    const g = result.summary.groups;
    const count = (s: string) => g.filter((x) => x.status === s).length;
    process.stdout.write(`${g.length} group(s): ${count('done')} analysed, ${count('resumed')} resumed, ${count('error')} failed, ${count('interrupted')} not done; ` +
      `${g.filter((x) => (x.exitStatus ?? 0) === 1).length} with findings; ${result.summary.skipped.length} file(s) skipped${result.summary.notScanned ? `, ${result.summary.notScanned.length} not scanned (interrupted)` : ''}; summary ${result.summaryFile}\n`);
    if (result.interrupted) process.exitCode = 130;
    else if (count('error') || g.some((x) => x.exitStatus === 2)) process.exitCode = 2;
    else process.exitCode = g.some((x) => x.exitStatus === 1) ? 1 : 0;
  }
}
