import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile, type Replays } from '../../../src/batch/scan.js';
import { analyze } from '../../../src/correlate/analyze.js';
import { planInputs } from '../../../src/correlate/plan.js';
import { prepareZone } from '../../../src/model/instant.js';
import { readCapture } from '../../../src/sources/capture/reader.js';
import { lentReplay, ReplayRecorder } from '../../../src/sources/capture/replay.js';
import { lendReplays, returnReplays } from '../../../src/sources/lent.js';
import { drain } from '../../helpers/drain.js';
import { plain, ROOT } from '../../helpers/capture.js';

const samples = readdirSync(path.join(ROOT, 'samples')).filter((d) => statSync(path.join(ROOT, 'samples', d)).isDirectory());
const filesOf = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());

/** The scan of every capture of a folder, as batch's workers do it: what it kept, by path. */
async function scanned(dir: string): Promise<Replays> {
  const replays: Replays = {};
  for (const f of filesOf(dir)) await scanFile(f, undefined, replays);
  return replays;
}

describe('a capture read once by the scan, analysed from what that read gave', () => {
  it('every recorded capture (pcap, pcapng, gzip): the replay gives the same batches and summary as reading it', async () => {
    let n = 0;
    for (const d of samples) {
      const replays = await scanned(path.join(ROOT, 'samples', d));
      for (const [file, r] of Object.entries(replays)) {
        if (r.source !== 'capture') continue;
        const read = await drain(readCapture(file, { parallel: false }));
        lendReplays({ [file]: r });
        try {
          const again = await drain(readCapture(file));
          expect(plain(again)).toEqual(plain(read));
          expect(again.info.error?.toLine()).toBe(read.info.error?.toLine());
        } finally {
          returnReplays();
        }
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(24);
    // what is lent is what is read: the file itself is not opened (here: there is none)
    const [file, r] = Object.entries(await scanned(path.join(ROOT, 'samples/seed-snat'))).find(([, x]) => x.source === 'capture')!;
    lendReplays({ '/nonexistent/lan0.pcap': r });
    try {
      expect(plain((await drain(readCapture('/nonexistent/lan0.pcap'))).items)).toEqual(plain((await drain(readCapture(file))).items));
    } finally {
      returnReplays();
    }
  });

  it('the planner\'s peek (first packet, own addresses) of each sample, and the analysis, are the same from replays', async () => {
    await prepareZone('UTC');
    // the analysis on one sample of each capture kind: pcap µs + SLL2 ns, pcapng, gzip pcapng + gzip SLL2, VRRPv3
    const analysed = ['seed-snat', 'intermittent', 'split-brain', 'vrrpv3-unicast'];
    for (const d of samples) {
      const dir = path.join(ROOT, 'samples', d);
      const replays = await scanned(dir);
      const files = filesOf(dir);
      const plan = await planInputs(files, { hostFlags: [] });
      const report = analysed.includes(d) ? await analyze(files, { tz: 'UTC', inBatch: true }) : null;
      lendReplays(replays);
      try {
        expect(plain(await planInputs(files, { hostFlags: [] }))).toEqual(plain(plan));
        if (report) expect(plain(await analyze(files, { tz: 'UTC', inBatch: true }))).toEqual(plain(report));
      } finally {
        returnReplays();
      }
      expect(lentReplay(files[0])).toBeUndefined();
    }
    // and the analysis takes its records from the replay: emptied, it sees no adverts
    const dir = path.join(ROOT, 'samples/seed-snat');
    const emptied = Object.fromEntries(Object.entries(await scanned(dir)).filter(([, r]) => r.source === 'capture').map(([f, r]) => [f, { ...r, batches: [] }]));
    lendReplays(emptied);
    try {
      const r = await analyze(filesOf(dir), { tz: 'UTC', inBatch: true });
      expect(r.inputs.filter((i) => i.kind === 'capture').map((i) => i.records)).toEqual([0, 0]);
    } finally {
      returnReplays();
    }
  });

  it('keeps no records past its limit (a storm is read again), and says so by giving no replay', () => {
    const r = new ReplayRecorder(3);
    const rec = { kind: 'garp' } as never;
    r.add([rec, rec]);
    r.add([rec, rec]);
    expect(r.finish({ problems: [] } as never)).toBeNull();
    const k = new ReplayRecorder(4);
    k.add([rec, rec]);
    k.add([rec, rec]);
    expect(k.finish({ problems: [] } as never)?.batches).toHaveLength(2);
  });
});
