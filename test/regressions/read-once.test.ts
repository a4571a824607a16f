import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OpenedInput } from '../../src/sources/input.js';
import { ROOT, plain } from '../helpers/capture.js';

/**
 * Each input is read once per run (issues 16 and 17): every openInput is counted, and a pass counts when it asked for
 * the readers' chunk size and was read to its end (the head sniffs and the planner's peeks ask for less).
 */
const passes = new Map<string, number>();
vi.mock('../../src/sources/input.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/sources/input.js')>();
  return {
    ...m,
    openInput: async (name: string, chunkSize?: number): Promise<OpenedInput> => {
      const input = await m.openInput(name, chunkSize);
      if (chunkSize !== undefined && chunkSize !== m.READ_CHUNK) return input;
      const chunks = input.chunks;
      return {
        ...input,
        chunks: (async function* () {
          yield* chunks;
          passes.set(name, (passes.get(name) ?? 0) + 1);
        })(),
      };
    },
  };
});

const { analyze } = await import('../../src/correlate/analyze.js');
const { scanFile } = await import('../../src/batch/scan.js');
const { runTask } = await import('../../src/batch/worker.js');
const { groupFiles } = await import('../../src/correlate/incidents.js');
const { prepareZone } = await import('../../src/model/instant.js');
const { lendReplays, returnReplays } = await import('../../src/sources/lent.js');

const filesOf = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile()).sort();
const byKind = (files: string[], re: RegExp) => Object.fromEntries(files.filter((f) => re.test(path.basename(f))).map((f) => [path.relative(ROOT, f), passes.get(f) ?? 0]));
const once = (o: Record<string, number>) => Object.fromEntries(Object.keys(o).map((k) => [k, 1]));

afterEach(() => passes.clear());

describe('each input read once', () => {
  // conntrack-full: two hosts' syslogs in both of rsyslog's framings (with the kernel's table-full lines), conntrack
  // snapshots and an event log, captures
  const dir = path.join(ROOT, 'samples/conntrack-full');
  const files = filesOf(dir);

  it('analyze: every syslog (the kernel lines too) and every conntrack file in one pass', async () => {
    await prepareZone('UTC');
    const r = await analyze([dir], { tz: 'UTC' });
    expect(r.findings.some((f) => f.kind === 'conntrack-exhaustion')).toBe(true);
    const logs = byKind(files, /^syslog/);
    const conntrack = byKind(files, /^conntrack/);
    expect(Object.keys(logs)).toHaveLength(4);
    expect(Object.keys(conntrack)).toHaveLength(4);
    expect(logs).toEqual(once(logs));
    expect(conntrack).toEqual(once(conntrack));
  });

  it('batch: the scan reads every capture, syslog and conntrack file once, and the analysis takes what it read', async () => {
    await prepareZone('UTC');
    const replays = {};
    const scanned = [];
    for (const f of files) scanned.push({ ...(await scanFile(f, undefined, replays)), root: dir });
    expect(byKind(files, /^(syslog|conntrack|lan0)/)).toEqual(once(byKind(files, /^(syslog|conntrack|lan0)/)));
    passes.clear();
    const [group, ...more] = groupFiles(scanned);
    expect(more).toEqual([]);
    const out = mkdtempSync(path.join(tmpdir(), 'vf-once-'));
    const row = (await runTask({ type: 'analyze', group, format: 'json', out, tz: 'UTC', replays })) as { findings: Record<string, number> };
    expect(row.findings['conntrack-exhaustion']).toBe(1);
    // nothing read again: the analysis (and its planner's capture peek) took the scan's records
    expect([...passes.keys()]).toEqual([]);
    // (the counter sees the analysis's reads when nothing is lent: each file once)
    await runTask({ type: 'analyze', group, format: 'json', out, tz: 'UTC' });
    expect(byKind(files, /^(syslog|conntrack)/)).toEqual(once(byKind(files, /^(syslog|conntrack)/)));
    // and the report is the one reading the files gives
    lendReplays(replays);
    const fromReplays = await analyze(group.files, { tz: 'UTC', inBatch: true }).finally(returnReplays);
    expect(plain(fromReplays)).toEqual(plain(await analyze(group.files, { tz: 'UTC', inBatch: true })));
  });
});
