import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { findingsOf } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// `analyze ticket/gw-a ticket/gw-a/syslog` read the log twice: every keepalived line counted twice (two master changes
// for one, two transitions), and both rows of the inputs table said the log was read and folded.
describe('a file named twice (its folder and itself) is read once', () => {
  it('samples/seed-snat/gw-a with its syslog named again: the findings of the folder alone; the repeat listed as not read', async () => {
    const dir = path.join(ROOT, 'samples', 'seed-snat', 'gw-a');
    const once = await analyze([dir], { tz: 'UTC' });
    const twice = await analyze([dir, path.join(dir, 'syslog'), path.join(dir, 'any.pcap')], { tz: 'UTC' });
    const changes = (r: typeof once) => findingsOf(r.findings, 'master-change').map((f) => f.start);
    expect(changes(twice)).toEqual(changes(once));
    expect(twice.findings.map((f) => f.kind)).toEqual(once.findings.map((f) => f.kind));
    const repeats = twice.inputs.filter((i) => i.notes?.some((n) => n.kind === 'not-read'));
    expect(repeats.map((i) => [path.basename(i.path), i.records, i.notes])).toEqual([
      ['syslog', 0, [{ kind: 'not-read', reason: 'the same file as an input named before it (read once)' }]],
      ['any.pcap', 0, [{ kind: 'not-read', reason: 'the same file as an input named before it (read once)' }]],
    ]);
  });
});
