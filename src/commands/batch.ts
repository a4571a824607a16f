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
  ];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'files, folders, or quoted globs (** crosses folders)', required: true }) };
  static override flags = {
    out: Flags.string({ description: 'folder for the reports and the summary', required: true }),
    format: Flags.string({ description: 'report format', options: [...FORMATS], default: 'json' }),
    jobs: Flags.integer({ description: 'worker threads (default: all cores)', min: 1 }),
    'per-dir': Flags.boolean({ description: 'one incident per folder instead of grouping by time overlap' }),
    resume: Flags.boolean({ description: 'skip groups whose report and summary line already exist' }),
    shard: Flags.string({ description: 'K/N: take a deterministic share of the groups (stable across machines)' }),
    quiet: Flags.boolean({ description: 'no progress on stderr' }),
    tz: Flags.string({ description: 'IANA zone for zone-less log times', default: 'UTC' }),
    year: Flags.integer({ description: 'year of year-less log lines' }),
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
    const { sweep } = await import('../batch/sweep.js');
    const result = await sweep({
      paths: argv as string[], out: flags.out, format: flags.format as Format, jobs: flags.jobs ?? os.availableParallelism(), perDir: flags['per-dir'],
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
