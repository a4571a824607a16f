import { promises as fsp } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { ForensicError } from '../../errors.js';
import { mergeSummaries, summaryCsv, type Summary } from '../../batch/summary.js';
import { writeAtomic } from '../../batch/atomic.js';
import { refuseInputAsOutput } from '../../cli/output.js';

export default class BatchMerge extends BaseCommand {
  static override summary = 'Join per-shard batch summaries into one (JSON, and CSV beside it).';
  static override description = 'Every shard of the sweep must be given (K of N is refused unless --allow-partial, which names the missing ones in the merged summary and on stderr); a shard given twice is read once, and files skipped are listed once.';
  static override examples = ['<%= config.bin %> batch merge reports/summary-shard-*.json -o reports/summary.json'];
  static override strict = false;
  static override args = { summaries: Args.string({ description: 'summary-shard-K-of-N.json files', required: true }) };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'merged summary (JSON); a .csv is written beside it', required: true }),
    'allow-partial': Flags.boolean({ description: 'merge even when some shards of the sweep are missing (they are named)' }),
  };

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
      merged = mergeSummaries(parts, flags['allow-partial']);
    } catch (err) {
      throw new ForensicError('E_UNKNOWN_FORMAT', (err as Error).message);
    }
    // each shard lists every file it skipped (all shards scan all files): one entry per path
    const skipped = new Map<string, unknown>();
    for (const p of parts) for (const s of (p as Summary & { skipped?: { path: string }[] }).skipped ?? []) if (!skipped.has(s.path)) skipped.set(s.path, s);
    const missing = merged.missingShards.length ? { missingShards: merged.missingShards } : {};
    await writeAtomic(flags.output, JSON.stringify({ ...merged.summary, ...missing, skipped: [...skipped.values()] }, null, 2) + '\n');
    await writeAtomic(flags.output.replace(/\.json$/, '') + '.csv', await summaryCsv(merged.summary));
    if (merged.missingShards.length) process.stderr.write(`vrrp-forensics: warning: shards ${merged.missingShards.join(', ')} are missing: their groups are not in the merged summary\n`);
    process.stdout.write(`${merged.summary.groups.length} group(s) from ${parts.length} summaries → ${flags.output}\n`);
    if (merged.missingShards.length) process.exitCode = 2;
  }
}
