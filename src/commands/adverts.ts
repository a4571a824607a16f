import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { outputFlags, timeFlags } from '../cli/flags.js';
import { LineSink } from '../cli/output.js';
import { ForensicError } from '../errors.js';
import { prepareZone, type TimeStyle } from '../model/instant.js';
import type { CarpAdvertRecord, VrrpAdvertRecord } from '../model/records.js';
import { advertCsvRow, advertJson, advertLine, AdvertSummary, carpCsvRow, carpLine, CSV_COLUMNS, skippedWarning, type AdvertViewOptions } from '../report/adverts.js';
import { csvCell } from '../report/sanitize.js';
import { expandPaths } from '../sources/input.js';
import { readCapture } from '../sources/capture/reader.js';

export default class Adverts extends BaseCommand {
  static override summary = 'List every VRRP advertisement in pcap/pcapng captures (plain or gzip, or - for stdin).';
  static override examples = [
    '<%= config.bin %> adverts samples/seed-snat/gw-a/any.pcap',
    '<%= config.bin %> adverts samples/split-brain/gw-a/lan0.pcapng.gz --tz Europe/Berlin --time-format iso',
    '<%= config.bin %> adverts samples/seed-snat --csv -o adverts.csv',
  ];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'capture files or directories', required: true }) };
  static override flags = {
    ...timeFlags,
    ...outputFlags,
    vrid: Flags.integer({ description: 'only this virtual router id', multiple: true }),
    'no-summary': Flags.boolean({ description: 'text output: omit the per-vrid summary' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Adverts);
    const view: AdvertViewOptions = {
      tz: await prepareZone(flags.tz),
      style: flags['time-format'] as TimeStyle,
      showSecrets: flags['show-secrets'],
    };
    const paths = await expandPaths(argv as string[]);
    const sink = await LineSink.open(flags.output);
    const summary = new AdvertSummary();
    const vrids = flags.vrid ? new Set(flags.vrid) : null;
    let wrote = 0;
    // csv-stringify is loaded only for --csv (start-up time)
    const csv = flags.csv ? (await import('csv-stringify')).stringify({ header: true, columns: CSV_COLUMNS, cast: { boolean: (b) => String(b) } }) : null;
    const csvDone = csv ? pipeCsv(csv, sink) : null;
    if (flags.json) await sink.write('[');

    const emit = async (r: VrrpAdvertRecord | CarpAdvertRecord) => {
      // --vrid selects VRRP virtual routers; CARP has none (its vhid is another protocol's number)
      if (vrids && (r.kind === 'carp' || r.vrid === undefined || !vrids.has(r.vrid))) return;
      if (r.kind === 'carp') summary.addCarp(r);
      else summary.add(r);
      if (flags.json) await sink.write((wrote ? ',\n' : '\n') + JSON.stringify(advertJson(r, view)));
      else if (csv) {
        const row = r.kind === 'carp' ? carpCsvRow(r) : advertCsvRow(r, view);
        if (!csv.write(row.map(csvCell))) await new Promise((res) => csv.once('drain', res));
      } else await sink.write((r.kind === 'carp' ? carpLine(r, view) : advertLine(r, view)) + '\n');
      wrote++;
    };

    for (const { path, fromDirectory } of paths) {
      const it = readCapture(path);
      let step = await it.next();
      while (!step.done) {
        for (const r of step.value) if (r.kind === 'vrrp' || r.kind === 'carp') await emit(r);
        step = await it.next();
      }
      const info = step.value;
      if (!this.settleInput(info, { file: path, records: info.frames, fromDirectory, otherKind: 'E_NOT_CAPTURE' })) continue;
      const skipped = skippedWarning(info);
      if (skipped) {
        summary.addSkipped(info.skipped);
        this.report({ code: 'E_UNKNOWN_FORMAT', severity: 'warning', file: path, message: skipped });
      }
    }

    if (flags.json) await sink.write(wrote ? '\n]\n' : ']\n');
    else if (csv) {
      csv.end();
      await csvDone;
    } else if (!flags['no-summary']) await sink.write(summary.lines(view).join('\n') + '\n');
    await sink.close();
    this.finishInputs('captures');
  }
}

function pipeCsv(csv: import('csv-stringify').Stringifier, sink: LineSink): Promise<void> {
  return (async () => {
    for await (const chunk of csv) await sink.write(String(chunk));
  })().catch((err: unknown) => {
    throw new ForensicError('E_IO', `writing CSV failed: ${(err as Error).message}`);
  });
}
