import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogCopies, logLineOf, type LogLine } from '../../src/correlate/copies.js';
import { wallClockToEpochMs } from '../../src/model/instant.js';
import { readSyslog } from '../../src/sources/syslog/reader.js';
import { ROOT } from '../helpers/capture.js';
import { drain } from '../helpers/drain.js';

type I = { at: bigint; id: string; line: LogLine };
const S = 1_000_000_000n;

/** The folding as its contract says it, plainly: a line's copy is looked for under a host + second + message string. */
function referenceFold(items: I[]): { out: string[]; folded: Map<string, Map<string, number>> } {
  type H = { it: I; gone: boolean; released: boolean; matched: Set<string> };
  const byKey = new Map<string, H[]>();
  const held: H[] = [];
  const out: string[] = [];
  const folded = new Map<string, Map<string, number>>();
  let head = 0;
  let newest = -(1n << 80n);
  const release = (now: bigint | null) => {
    while (head < held.length && (now === null || now - held[head].it.at > S || held.length - head > 1 << 16)) {
      const h = held[head++];
      h.released = true;
      if (!h.gone) out.push(h.it.id);
    }
  };
  const floor = (t: bigint, unit: bigint) => t - (((t % unit) + unit) % unit);
  const same = (a: LogLine, b: LogLine) => {
    const unit = 10n ** BigInt(9 - Math.min(a.precision, b.precision));
    return floor(a.time, unit) === floor(b.time, unit);
  };
  for (const it of items) {
    const l = it.line;
    if (it.at > newest) newest = it.at;
    const key = `${l.host}\u0000${l.time / S}\u0000${l.message}`;
    const list = byKey.get(key) ?? [];
    const h: H = { it, gone: false, released: false, matched: new Set() };
    const twin = list.find((y) => !y.gone && !y.released && y.it.line.file !== l.file && y.it.line.set !== l.set && !y.matched.has(l.file) && same(y.it.line, l));
    if (twin) {
      const [drop, kept] = twin.it.line.precision <= l.precision ? [twin, h] : [h, twin];
      drop.gone = true;
      for (const f of [...drop.matched, drop.it.line.file]) kept.matched.add(f);
      const per = folded.get(drop.it.line.file) ?? new Map<string, number>();
      per.set(kept.it.line.file, (per.get(kept.it.line.file) ?? 0) + 1);
      folded.set(drop.it.line.file, per);
    }
    if (!h.gone) {
      list.push(h);
      byKey.set(key, list);
      held.push(h);
    }
    release(newest);
  }
  release(null);
  return { out, folded };
}

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
    const c = new LogCopies<I>((i) => i.line);
    const out = [...items.flatMap((i) => c.push(i)), ...c.end()].map((i) => i.id);
    const ref = referenceFold(items);
    expect(out.length).toBe(ref.out.length);
    expect(out).toEqual(ref.out);
    expect(c.folded).toEqual(ref.folded);
    // the storm is there, and it is folded: every line of each whole-second copy has its precise copy
    for (const host of ['gw-a', 'gw-b']) {
      const n = items.filter((i) => i.id.startsWith(`${host}/syslog.gz:`)).length;
      expect(n).toBeGreaterThan(19_000);
      const dir = path.join(ROOT, 'samples/split-brain', host);
      expect(c.folded.get(path.join(dir, 'syslog.gz'))).toEqual(new Map([[path.join(dir, 'syslog.rfc3339.gz'), n]]));
    }
  }, 120_000); // 80,000 lines folded twice (≈ 6 s of CPU): a loaded machine takes several times that
});
