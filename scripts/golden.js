// The outputs of every command on every recorded sample, as exit code + length + SHA-256 of stdout and stderr:
// test/regressions/golden.json was written before the speed work and is checked by test/regressions/golden.test.ts,
// so a faster path cannot change one byte of any report. Rewrite it only when an output is meant to change:
//
//   npm run build && node scripts/golden.js
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GOLDEN = path.join(ROOT, 'test/regressions/golden.json');
const BIN = path.join(ROOT, 'bin/run.js');

function files(dir, base = ROOT) {
  return readdirSync(path.join(base, dir)).sort().flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(path.join(base, rel)).isDirectory() ? files(rel, base) : [rel];
  });
}

/** The command lines covered for one sample folder: the whole analysis, and each reader's command on all its files. */
export function commandsFor(sample) {
  const dir = `samples/${sample}`;
  const all = files(dir).filter((f) => !f.endsWith('README.md') && !f.endsWith('actions.log'));
  const of = (re) => all.filter((f) => re.test(path.basename(f)));
  const lines = [['analyze', dir, '--format', 'json'], ['analyze', dir]];
  const captures = of(/\.pcap(ng)?(\.gz)?$/);
  const tables = of(/^(nf_conntrack|conntrack-)/);
  const logs = of(/^syslog/);
  if (captures.length) lines.push(['adverts', ...captures]);
  if (tables.length) lines.push(['conntrack', ...tables], ['conntrack', ...tables, '--json']);
  if (logs.length) lines.push(['logs', ...logs], ['logs', ...logs, '--json']);
  return lines;
}

export function samples() {
  return readdirSync(path.join(ROOT, 'samples')).filter((s) => statSync(path.join(ROOT, 'samples', s)).isDirectory()).sort();
}

const digest = (buf) => ({ bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') });

// Files without a time of their own are dated by their mtime (a year-less log's year, an event log's dump time), which
// a checkout sets to its own time: the samples are read from a copy whose mtimes are all this fixed instant.
const MTIME = new Date('2026-12-01T00:00:00Z');

function samplesCopy() {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-golden-'));
  cpSync(path.join(ROOT, 'samples'), path.join(dir, 'samples'), { recursive: true });
  for (const f of files('samples', dir)) utimesSync(path.join(dir, f), MTIME, MTIME);
  return dir;
}

function runOne(argv, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ argv: argv.join(' '), code, stdout: digest(Buffer.concat(out)), stderr: digest(Buffer.concat(err)) }));
  });
}

/** Runs every covered command line (two at a time), in a stable order. */
export async function runAll() {
  const jobs = samples().flatMap((s) => commandsFor(s));
  const results = new Array(jobs.length);
  const cwd = samplesCopy();
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await runOne(jobs[i], cwd);
    }
  };
  try {
    await Promise.all([lane(), lane()]);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runAll();
  writeFileSync(GOLDEN, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`wrote ${results.length} golden outputs to ${path.relative(ROOT, GOLDEN)}`);
}
