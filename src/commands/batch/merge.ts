import { promises as fsp } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { ForensicError } from '../../errors.js';
import { mergeSummaries, summaryCsv, type Summary } from '../../batch/summary.js';
import { writeAtomic } from '../../batch/atomic.js';
import { refuseInputAsOutput } from '../../cli/output.js';

export default class BatchMerge extends BaseCommand {
  static override summary = 'Join per-shard batch summaries into one (JSON, and CSV beside it).';
  static override examples = ['<%= config.bin %> batch merge reports/summary-shard-*.json -o reports/summary.json'];
  static override strict = false;
  static override args = { summaries: Args.string({ description: 'summary-shard-K-of-N.json files', required: true }) };
  static override flags = { output: Flags.string({ char: 'o', description: 'merged summary (JSON); a .csv is written beside it', required: true }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(BatchMerge);
    await refuseInputAsOutput(flags.output, argv as string[]);
    const parts: Summary[] = [];
    for (const f of argv as string[]) {
      try {
        parts.push(JSON.parse(await fsp.readFile(f, 'utf8')) as Summary);
      } catch (err) {
        throw new ForensicError('E_UNKNOWN_FORMAT', `not a batch summary: ${(err as Error).message.split('\n')[0]}`, { file: f });
      }
    }
    let merged;
    try {
      merged = mergeSummaries(parts);
    } catch (err) {
      throw new ForensicError('E_UNKNOWN_FORMAT', (err as Error).message);
    }
    const skipped = parts.flatMap((p) => (p as Summary & { skipped?: unknown[] }).skipped ?? []);
    await writeAtomic(flags.output, JSON.stringify({ ...merged, skipped }, null, 2) + '\n');
    await writeAtomic(flags.output.replace(/\.json$/, '') + '.csv', await summaryCsv(merged));
    process.stdout.write(`${merged.groups.length} group(s) from ${parts.length} summaries → ${flags.output}\n`);
  }
}
