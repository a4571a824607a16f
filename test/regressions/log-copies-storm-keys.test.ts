import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logLineOf, type LogLine } from '../../src/correlate/copies.js';
import { wallClockToEpochMs } from '../../src/model/instant.js';
import { readSyslog } from '../../src/sources/syslog/reader.js';
import { ROOT } from '../helpers/capture.js';
import { drain } from '../helpers/drain.js';
import { foldAsReference } from '../helpers/reference-fold.js';

type I = { at: bigint; id: string; line: LogLine };

/**
 * The log-copy folding finds a line's copy by its message, then its host and second (no key string per line, which
 * was a storm's largest cost in it). On the real storm of samples/split-brain — both gateways' rsyslog copies in one
 * stream, so the same message of two hosts in the same second meets, thousands of lines a second — it keeps and
 * drops exactly the lines a plain host + second + message key does, in the same order.
 */
describe('regression: log copies folded by message, host and second, as by one key', () => {
  it('samples/split-brain, both hosts\' two copies in one stream', async () => {
    const files = ['gw-a/syslog.gz', 'gw-a/syslog.rfc3339.gz', 'gw-b/syslog.gz', 'gw-b/syslog.rfc3339.gz'];
    const items: I[] = [];
    for (const f of files) {
      const p = path.join(ROOT, 'samples/split-brain', f);
      const { items: evs } = await drain(readSyslog(p, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC'), year: 2026 }));
      for (const ev of evs) items.push({ at: ev.time, id: `${f}:${ev.line}`, line: logLineOf(ev, f.slice(0, 4)) });
    }
    // in time order, files in the order named on ties (a stable sort), as the merge hands them out
    items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const { copies: c } = foldAsReference(items);
    // the storm is there, and it is folded: every line of each whole-second copy has its precise copy
    for (const host of ['gw-a', 'gw-b']) {
      const n = items.filter((i) => i.id.startsWith(`${host}/syslog.gz:`)).length;
      expect(n).toBeGreaterThan(19_000);
      const dir = path.join(ROOT, 'samples/split-brain', host);
      expect(c.folded.get(path.join(dir, 'syslog.gz'))).toEqual(new Map([[path.join(dir, 'syslog.rfc3339.gz'), n]]));
    }
  }, 120_000); // 80,000 lines folded twice (≈ 6 s of CPU): a loaded machine takes several times that
});
