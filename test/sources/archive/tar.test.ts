import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkTar, type TarEvent } from '../../../src/sources/archive/tar.js';
import { archiveProblems, expandArchive } from '../../../src/sources/archive/members.js';
import { analyze } from '../../../src/correlate/analyze.js';
import { exitStatus } from '../../../src/model/report.js';
import { pack, seedBundle } from '../../helpers/bundle.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'vf-tar-'));

async function walk(bytes: Buffer, chunk = bytes.length): Promise<TarEvent[]> {
  async function* src() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: TarEvent[] = [];
  for await (const ev of walkTar(src(), 't.tar')) out.push(ev.kind === 'data' ? { ...ev, chunk: Buffer.from(ev.chunk) } : ev);
  return out;
}

/** name → bytes of every member the walk delivered whole */
function members(evs: TarEvent[]): Map<string, string> {
  const m = new Map<string, Buffer[]>();
  const whole = new Map<string, string>();
  for (const e of evs) {
    if (e.kind === 'entry') m.set(e.entry.name, []);
    else if (e.kind === 'data') m.get(e.entry.name)!.push(Buffer.from(e.chunk));
    else if (e.kind === 'entry-end') whole.set(e.entry.name, Buffer.concat(m.get(e.entry.name)!).toString('latin1'));
  }
  return whole;
}

const b = seedBundle();
const plain = readFileSync(pack(b.dir, [b.top], path.join(tmp(), 'b.tar'), 'tar'));
const damages = (evs: TarEvent[]) => evs.filter((e) => e.kind === 'damage').map((e) => (e as { error: { toLine(): string } }).error.toLine());

/** offset of the header of the member whose name ends with `suffix` */
function headerOf(tar: Buffer, suffix: string): number {
  for (let at = 0; at + 512 <= tar.length; at += 512) if (tar.subarray(at, at + 100).toString('latin1').replace(/\0.*$/s, '').endsWith(suffix)) return at;
  throw new Error(`no ${suffix}`);
}

/** Recomputes a header's checksum, so a changed field is taken at its word. */
function reseal(tar: Buffer, at: number): void {
  tar.write('        ', at + 148, 'latin1');
  let sum = 0;
  for (let i = at; i < at + 512; i++) sum += tar[i];
  tar.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 'latin1');
}

describe('walkTar', () => {
  it('any chunk size gives the same members and offsets', async () => {
    const whole = await walk(plain);
    expect(members(whole).get(`${b.top}/var/log/messages`)).toBe(readFileSync(path.join(b.dir, b.top, 'var/log/messages'), 'latin1'));
    for (const n of [1, 7, 511, 513, 4096]) expect(members(await walk(plain, n))).toEqual(members(whole));
    expect(damages(whole)).toEqual([]);
  });

  it('a member with a bad length field: named with its offset; the members after it are found again and kept', async () => {
    const bad = Buffer.from(plain);
    const at = headerOf(bad, 'sos_commands/firewall_tables/iptables-save');
    bad.write('9x9x9x9x9x9\0', at + 124, 'latin1');
    reseal(bad, at);
    const evs = await walk(bad);
    expect(damages(evs)).toEqual([`t.tar: byte ${at}: tar header size field is not a number: looking for the next member [E_BAD_LENGTH]`]);
    const names = [...members(evs).keys()];
    expect(names).not.toContain(`${b.top}/sos_commands/firewall_tables/iptables-save`);
    // what came before and after the damage is kept
    expect(names).toContain(`${b.top}/var/log/messages`);
    expect(names.length).toBeGreaterThan(5);
  });

  it('a header with a bad checksum: named with its offset, the walk goes on with the next valid header', async () => {
    const bad = Buffer.from(plain);
    const at = headerOf(bad, 'etc/keepalived/keepalived.conf');
    bad[at + 3] ^= 0x20;
    const evs = await walk(bad);
    expect(damages(evs)).toEqual([`t.tar: byte ${at}: tar header checksum does not match: looking for the next member [E_BAD_BLOCK]`]);
    expect([...members(evs).keys()]).toContain(`${b.top}/var/log/messages`);
  });

  it('a length beyond the end, and a cut archive: the member cut short is named with the offset where the bytes end', async () => {
    const cut = plain.subarray(0, headerOf(plain, 'var/log/messages') + 512 + 700);
    const evs = await walk(cut);
    expect(damages(evs)).toEqual([expect.stringMatching(new RegExp(`^t\\.tar: byte ${cut.length}: archive ends inside member ${b.top}/var/log/messages \\(\\d+ of its \\d+ bytes missing\\) \\[E_TRUNCATED\\]$`))]);
    const big = Buffer.from(plain);
    const at = headerOf(big, 'etc/keepalived/keepalived.conf');
    big.write('77777777777\0', at + 124, 'latin1');
    reseal(big, at);
    expect(damages(await walk(big))).toEqual([expect.stringMatching(/archive ends inside member .*keepalived\.conf \(\d+ of its 8589934591 bytes missing\)/)]);
  });
});

describe('damaged archives', () => {
  it('a tar.gz cut short: the members before the cut are read, the damage named with the member and offset; analyze exits 2', async () => {
    const gz = readFileSync(pack(b.dir, [b.top], path.join(tmp(), 'b.tar.gz'), 'tar.gz'));
    const file = path.join(tmp(), 'sosreport-gw-a.tar.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const arc = (await expandArchive(file))!;
    const lines = archiveProblems(arc.listing).map((p) => p.toLine());
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}: byte \\d+: gzip stream damaged or cut short \\(.*\\)( \\(inside member .*\\))? \\[E_GZIP\\]$`))]);
    expect(arc.members.length).toBeGreaterThan(0);
    const r = await analyze([file], { tz: 'UTC' });
    const self = r.inputs.find((i) => i.path === file)!;
    expect(self.problems.map((p) => p.message).join(' ')).toMatch(/tar archive damaged: .*E_GZIP/);
    expect(exitStatus(r)).toBe(2);
  });

  it('a zip cut short: its central directory is gone, said with the file and a code', async () => {
    const zip = readFileSync(pack(b.dir, [b.top], path.join(tmp(), 'b.zip'), 'zip'));
    const file = path.join(tmp(), 'cut.zip');
    writeFileSync(file, zip.subarray(0, zip.length - 200));
    const arc = (await expandArchive(file))!;
    expect(archiveProblems(arc.listing).map((p) => p.toLine())).toEqual([expect.stringMatching(/cut\.zip: zip archive unreadable \(.*\): its central directory is damaged or cut off \[E_TRUNCATED\]$/)]);
  });
});

describe('walkTar under mutation', () => {
  it('flipped bytes, zeroed fields and cuts: no exception, and every member before the damage is the original\'s', async () => {
    const original = members(await walk(plain));
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(plain.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.option(fc.nat(plain.length), { nil: undefined }),
      fc.constantFrom(1, 7, 512, 4096, 1 << 20),
      async (flips, cut, chunk) => {
        const m = Buffer.from(plain.subarray(0, cut ?? plain.length));
        for (const [at, v] of flips) if (at < m.length) m[at] = v;
        const evs = await walk(m, chunk);
        const first = flips.map(([at]) => at).concat(cut ?? plain.length).reduce((a, b) => Math.min(a, b));
        for (const e of evs) {
          if (e.kind !== 'entry-end' || e.entry.dataOffset + e.entry.size > first || e.entry.headerOffset >= first) continue;
          expect(members(evs).get(e.entry.name)).toBe(original.get(e.entry.name));
        }
      },
    ), { numRuns: 300 });
  }, 60_000);
});
