import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { ROOT } from '../helpers/capture.js';

/**
 * rsyslog writes each message twice (a traditional, whole-second copy and an RFC 3339 one). In a storm the copy folding
 * held packets too, so its 65,536-item bound let a log line go before its copy arrived: on samples/split-brain about
 * 11,000 (gw-a) and 7,500 (gw-b) messages were counted twice ("4369 forcing new election lines" where the log holds
 * 2790) and whole-second lines were cited where precise ones exist. The copies are now folded among the logs alone.
 */
describe('regression: a storm\'s log copies are counted once', () => {
  it('samples/split-brain: every message of the traditional logs is folded into its RFC 3339 copy', async () => {
    const r = await analyze([path.join(ROOT, 'samples/split-brain')], { tz: 'UTC' });
    for (const host of ['gw-a', 'gw-b']) {
      const copy = r.inputs.find((i) => i.path.endsWith(`${host}/syslog.gz`))!;
      const kept = r.inputs.find((i) => i.path.endsWith(`${host}/syslog.rfc3339.gz`))!;
      expect(copy.folded).toEqual([{ keptIn: kept.path, messages: kept.records }]);
      expect(kept.records).toBeGreaterThan(19_000);
    }
    // nothing is cited from the whole-second copies
    const cited = [...r.findings.flatMap((f) => f.evidence), ...r.timeline].map((e) => ('file' in e ? e.file : ''));
    expect(cited.filter((f) => /syslog\.gz$/.test(f ?? ''))).toEqual([]);
  });
});
