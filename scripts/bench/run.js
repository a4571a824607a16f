// npm run bench — times vrrp-forensics against the tools users would otherwise use, on the same generated input,
// in one run, and prints ratios of CPU time (user + system: a shared machine's load moves wall time, not this).
// Medians of N runs after one warm-up (page cache warm). Peak RSS from GNU time. Every row of issue 17's table:
//
//   npm run bench [-- --runs 3 --packets 1000000 --keep --only storm,adverts,gzip,huge,conntrack,logs,analyze,batch]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readdirSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', 3));
const packets = Number(opt('packets', 1_000_000));
const keep = args.includes('--keep');
const only = opt('only', null)?.split(',');
const want = (section) => !only || only.includes(section);
const dataDir = path.join(root, 'bench-data');
mkdirSync(dataDir, { recursive: true });

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const capture = path.join(dataDir, `bench-${packets}.pcap`);
const entries = Number(opt('entries', 262144));
const table_ = path.join(dataDir, `nf_conntrack-${entries}.txt`);
const logLines = Number(opt('log-lines', 1_000_000));
const log = path.join(dataDir, `syslog-${logLines}.log`);
const aLog = path.join(dataDir, 'analyze-syslog-400000.log');
const aCap = path.join(dataDir, 'analyze-72000.pcap');
const stormDir = path.join(dataDir, 'storm');
const gzPackets = Number(opt('gz-packets', 200_000));
const gzCap = path.join(dataDir, `gz-${gzPackets}.pcap.gz`);
const hugePackets = Number(opt('huge-packets', 4_000_000));
const hugeCap = path.join(dataDir, `huge-${hugePackets}.pcap`);
const cli = path.join(root, 'bin/run.js');
const batchRuns = [];
/** one line per row of issue 17's table: ours against its anchor, in this run */
const summary = [];
// floor: the anchor's own work done by a bare Node program (floor.js): below it no Node program can go on this machine
// measure: 'cpu' (ours/anchor CPU, lower is better), 'wall' (ours/anchor wait), 'speed-up' (anchor/ours wall: higher is better)
const summarise = (work, ours, anchor, goal, floor = null, measure = 'cpu') => summary.push({ work, ours, anchor, goal, floor, measure });
const floorJs = path.join(root, 'scripts/bench/floor.js');
const floorLabel = '  (the anchor\'s work in bare Node: floor.js)';

/**
 * Where a fixed start-up dominates: the ratio past start-up (what grows with the input), and the input size from which
 * the goal holds — ours = start-up + k·n, the anchor ≈ g·n, so ours ≤ goal × anchor once n ≥ start-up / (goal·g − k).
 */
function pastStartup(ours, startup, anchor, goal, n, unit) {
  const k = (ours.time - startup.time) / n;
  const g = anchor.time / n;
  const past = (ours.time - startup.time) / anchor.time;
  const from = goal * g > k ? Math.ceil(startup.time / (goal * g - k)) : null;
  console.log(`past start-up: ${past.toFixed(2)}× the anchor (start-up ${startup.time.toFixed(3)} s CPU = ${(startup.time / anchor.time).toFixed(2)}× its whole run); ` +
    (from === null ? `the ${goal}× goal holds at no size (the cost per ${unit} is ${(k / g).toFixed(2)}× the anchor's)` : `the ${goal}× goal holds from about ${from.toLocaleString('en-US')} ${unit}s (${(from / n).toFixed(1)}× this input)`));
}
const gnuTime = existsSync('/usr/bin/time');

function measure(label, argv) {
  const times = [];
  const walls = [];
  let rss = null;
  let out = '';
  for (let i = 0; i <= runs; i++) {
    const full = gnuTime ? ['/usr/bin/time', '-f', '__BENCH__ %e %M %U %S', ...argv] : argv;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28, cwd: root });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    // analyze's exit 1 means "findings", not failure
    if (r.status !== 0 && !(r.status === 1 && (argv.includes('analyze') || argv.includes('batch')))) throw new Error(`${label} failed: ${r.stderr}`);
    const m = /__BENCH__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
    if (i === 0) continue; // warm-up
    times.push(m ? Number(m[3]) + Number(m[4]) : wall);
    walls.push(wall);
    if (m) rss = Math.max(rss ?? 0, Number(m[2]) / 1024);
    out = r.stdout;
  }
  times.sort((a, b) => a - b);
  walls.sort((a, b) => a - b);
  return { label, time: times[Math.floor(times.length / 2)], wall: walls[Math.floor(walls.length / 2)], rss, lines: out.split('\n').filter(Boolean).length, tail: out.trim().split('\n').at(-1) };
}

function table(rows, base) {
  console.log(`\n${'tool'.padEnd(52)} ${'cpu s'.padStart(8)} ${'× base'.padStart(7)} ${'wall s'.padStart(7)} ${'peak RSS MB'.padStart(12)}  output`);
  for (const r of rows) {
    const ratio = base ? (r.time / base.time).toFixed(2) : '';
    console.log(`${r.label.padEnd(52)} ${r.time.toFixed(3).padStart(8)} ${ratio.padStart(7)} ${r.wall.toFixed(2).padStart(7)} ${(r.rss === null ? 'n/a' : r.rss.toFixed(0)).padStart(12)}  ${(r.tail ?? '').slice(0, 60)}`);
  }
}

const sh = (cmd) => ['sh', '-c', cmd];
const gen = (script, ...a) => {
  const g = spawnSync(process.execPath, [path.join(root, 'scripts/bench', script), ...a.map(String)], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(1);
};

// --- the storm: analyze of a recorded split brain's advert storm's shape vs tcpdump + grep on the same files ------
if (want('storm')) {
if (!existsSync(stormDir)) {
  console.log('generating the storm (two gateways, 3,800 forced elections/s each for 15 s) …');
  gen('gen-storm.js', stormDir);
}
const caps = ['gw-a/lan0.pcap.gz', 'gw-b/any.pcap.gz'].map((f) => path.join(stormDir, f));
const logs = ['gw-a/syslog.gz', 'gw-a/syslog.rfc3339.gz', 'gw-b/syslog.gz', 'gw-b/syslog.rfc3339.gz'].map((f) => path.join(stormDir, f));
console.log(`\nstorm: ${caps.length} gzip captures, ${logs.length} gzip logs (rsyslog's two copies per gateway), ${(readdirSync(path.join(stormDir, 'gw-a')).length + readdirSync(path.join(stormDir, 'gw-b')).length)} files`);
const st = [];
st.push(measure('vrrp-forensics analyze STORM', [process.execPath, cli, 'analyze', stormDir, '-o', '/dev/null']));
st.push(measure(floorLabel, [process.execPath, floorJs, '--captures', ...caps, '--lines', ...logs]));
st.push(measure('zcat|tcpdump vrrp (captures) + zcat|grep -c (logs)', sh([...caps.map((c) => `zcat ${c} | tcpdump -nr - vrrp >/dev/null 2>&1`), ...logs.map((l) => `zcat ${l} | grep -c Keepalived`)].join('; '))));
table(st, st.at(-1));
console.log('ratios are against the anchor (CPU); target ≤ 1.5×');
summarise('analyze of the storm vs zcat|tcpdump + zcat|grep', st[0], st.at(-1), 1.5, st[1]);
}

// --- captures ------------------------------------------------------------------------------------------------
if (want('adverts')) {
if (!existsSync(capture)) {
  console.log(`generating ${capture} (${packets} packets, one VRRP advert per second) …`);
  const g = spawnSync(process.execPath, [path.join(root, 'scripts/bench/gen-capture.js'), capture, String(packets)], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(1);
}
const size = statSync(capture).size;
console.log(`capture: ${(size / 1e6).toFixed(0)} MB, ${packets} packets; ${runs} runs each after a warm-up; node ${process.version}`);

const rows = [];
rows.push(measure('vrrp-forensics analyze FILE', [process.execPath, cli, 'analyze', capture, '-o', '/dev/null']));
rows.push(measure('vrrp-forensics adverts FILE --no-summary', [process.execPath, cli, 'adverts', capture, '--no-summary']));
rows.push(measure('  (reader walk alone, no CLI start-up)', [process.execPath, path.join(root, 'scripts/bench/reader-walk.js'), capture]));
const startup = measure('  (node + oclif start-up: --version)', [process.execPath, cli, '--version']);
rows.push(startup);
const bare = measure('  (bare node start-up: node -e 0)', [process.execPath, '-e', '0']);
rows.push(bare);
let tcpdump = null;
if (has('tcpdump')) {
  tcpdump = measure('tcpdump -nr FILE vrrp', ['tcpdump', '-nr', capture, 'vrrp']);
  rows.push(tcpdump);
} else console.log('tcpdump not installed: its row is skipped');
rows.push(measure('pcap-parser walk (node)', [process.execPath, path.join(root, 'scripts/bench/pcap-parser-walk.cjs'), capture]));
table(rows, tcpdump ?? rows[0]);
console.log(`\nratios are against ${tcpdump ? 'tcpdump' : 'vrrp-forensics'}; target: vrrp-forensics ≤ 1.0× tcpdump, peak RSS ≤ 150 MB`);
if (tcpdump) {
  // the start-up is a constant per run; what grows with the capture is the rest
  const beyond = rows[1].time - startup.time;
  summarise(`analyze F, ${packets} packets vs tcpdump -nr F vrrp`, rows[0], tcpdump, 1.0);
  console.log(`beyond start-up: adverts ${beyond.toFixed(3)} s vs tcpdump ${tcpdump.time.toFixed(3)} s = ${(beyond / tcpdump.time).toFixed(2)}× per capture byte; start-up alone ${(startup.time / tcpdump.time).toFixed(2)}× tcpdump's whole run`);
}
}

// --- one gzip capture: analyze F.gz vs zcat F.gz | tcpdump ---------------------------------------------------------
if (want('gzip')) {
if (!existsSync(gzCap)) {
  const plain = gzCap.replace(/\.gz$/, '');
  gen('gen-capture.js', plain, gzPackets, 1_795_586_000, 'random');
  spawnSync('gzip', ['-1', '-f', plain], { stdio: 'inherit' });
}
console.log(`\ngzip capture: ${(statSync(gzCap).size / 1e6).toFixed(0)} MB compressed, ${gzPackets} packets (random payloads)`);
const gz = [];
gz.push(measure('vrrp-forensics analyze F.gz', [process.execPath, cli, 'analyze', gzCap, '-o', '/dev/null']));
gz.push(measure('zcat F.gz | tcpdump -nr - vrrp', sh(`zcat ${gzCap} | tcpdump -nr - vrrp`)));
gz.push(measure('  (zcat F.gz alone)', sh(`zcat ${gzCap} >/dev/null`)));
const gzFloor = measure(floorLabel, [process.execPath, floorJs, '--captures', gzCap]);
gz.push(gzFloor);
table(gz, gz[1]);
console.log('ratios are against zcat | tcpdump (CPU); target ≤ 0.6×');
summarise('analyze F.gz vs zcat F.gz | tcpdump', gz[0], gz[1], 0.6, gzFloor);
}

// --- a 4 M-packet (2.6 GB) capture: analyze vs tcpdump -----------------------------------------------------------
if (want('huge')) {
if (!existsSync(hugeCap)) gen('gen-capture.js', hugeCap, hugePackets);
console.log(`\nhuge capture: ${(statSync(hugeCap).size / 1e9).toFixed(2)} GB, ${hugePackets} packets`);
const hg = [];
hg.push(measure('vrrp-forensics analyze FILE', [process.execPath, cli, 'analyze', hugeCap, '-o', '/dev/null']));
if (has('tcpdump')) hg.push(measure('tcpdump -nr FILE vrrp', ['tcpdump', '-nr', hugeCap, 'vrrp']));
table(hg, hg.at(-1));
// read in slices by worker threads (src/sources/capture/parallel.ts): the goal is the wait, so wall time counts here
if (hg.length > 1) summarise(`analyze F, ${hugePackets} packets vs tcpdump (wall: both cores)`, hg[0], hg[1], 0.6, null, 'wall');
if (hg.length > 1) console.log(`wall: analyze ${hg[0].wall.toFixed(2)} s vs tcpdump ${hg[1].wall.toFixed(2)} s = ${(hg[0].wall / hg[1].wall).toFixed(2)}× (target ≤ 0.6× using both cores; CPU ratio above; load now ${os.loadavg()[0].toFixed(1)})`);
}

// --- conntrack table ------------------------------------------------------------------------------------------
if (want('conntrack')) {
if (!existsSync(table_)) spawnSync(process.execPath, [path.join(root, 'scripts/bench/gen-conntrack.js'), table_, String(entries)], { stdio: 'inherit' });
console.log(`\nconntrack table: ${(statSync(table_).size / 1e6).toFixed(0)} MB, ${entries} entries (/proc/net/nf_conntrack with acct and timestamps)`);
const ct = [];
ct.push(measure('vrrp-forensics conntrack FILE (VRRP/translated)', [process.execPath, cli, 'conntrack', table_]));
ct.push(measure('vrrp-forensics conntrack FILE --translated', [process.execPath, cli, 'conntrack', table_, '--translated']));
ct.push(measure("grep -c 'unknown  *112' FILE", ['grep', '-c', 'unknown  *112', table_]));
const ctFloor = measure(floorLabel, [process.execPath, floorJs, '--needle', 'unknown  112', '--lines', table_]);
ct.push(measure('wc -l FILE', ['wc', '-l', table_]));
const ctStart = measure('  (node + oclif start-up: --version)', [process.execPath, cli, '--version']);
ct.push(ctStart);
ct.push(ctFloor);
table(ct, ct[2]);
console.log('ratios are against grep (CPU); target ≤ 3× for the VRRP answer');
pastStartup(ct[0], ctStart, ct[2], 3, entries, 'entry');
summarise(`conntrack, ${entries} entries vs grep -c 'unknown  *112'`, ct[0], ct[2], 3, ctFloor);
}

// --- syslog ---------------------------------------------------------------------------------------------------
if (want('logs')) {
if (!existsSync(log)) spawnSync(process.execPath, [path.join(root, 'scripts/bench/gen-syslog.js'), log, String(logLines)], { stdio: 'inherit' });
console.log(`\nsyslog: ${(statSync(log).size / 1e6).toFixed(0)} MB, ${logLines} lines (10% keepalived: a discard storm, state changes, GARPs)`);
const lg = [];
lg.push(measure('vrrp-forensics logs FILE --year 2026', [process.execPath, cli, 'logs', log, '--year', '2026']));
lg.push(measure('vrrp-forensics logs FILE (year from mtime, one pass)', [process.execPath, cli, 'logs', log]));
lg.push(measure('  (node + oclif start-up: --version)', [process.execPath, cli, '--version']));
lg.push(measure('  (bare node start-up: node -e 0)', [process.execPath, '-e', '0']));
const lgFloor = measure(floorLabel, [process.execPath, floorJs, '--lines', log]);
lg.push(lgFloor);
lg.push(measure('grep -c Keepalived FILE', ['grep', '-c', 'Keepalived', log]));
table(lg, lg.at(-1));
console.log('ratios are against grep -c (CPU); target ≤ 3×');
pastStartup(lg[1], lg[2], lg.at(-1), 3, logLines, 'line');
summarise(`logs, ${logLines} lines vs grep -c Keepalived`, lg[1], lg.at(-1), 3, lgFloor);
}

// --- analyze: one merged pass (the memory case: a 400,000-line log and a 50 MB capture) ------------------
if (want('analyze')) {
if (!existsSync(aLog)) spawnSync(process.execPath, [path.join(root, 'scripts/bench/gen-syslog.js'), aLog, '400000'], { stdio: 'inherit' });
if (!existsSync(aCap)) spawnSync(process.execPath, [path.join(root, 'scripts/bench/gen-capture.js'), aCap, '72000'], { stdio: 'inherit' });
console.log(`\nanalyze: ${(statSync(aLog).size / 1e6).toFixed(0)} MB log (400,000 lines) + ${(statSync(aCap).size / 1e6).toFixed(0)} MB capture, merged by time`);
const an = [];
const analyzeRow = measure('vrrp-forensics analyze LOG CAPTURE --json', [process.execPath, cli, 'analyze', aLog, aCap, '--year', '2026', '--json', '-o', '/dev/null']);
an.push(analyzeRow);
if (has('tcpdump')) an.push(measure('tcpdump -nr CAPTURE vrrp', ['tcpdump', '-nr', aCap, 'vrrp']));
an.push(measure('grep -c Keepalived LOG', ['grep', '-c', 'Keepalived', aLog]));
table(an, an.at(-1));
console.log('analyze exits 1 when it has findings; target: peak RSS flat as inputs grow (README: 89 MB at a tenth of this input, 131 MB at 4× the log)');
}

// --- batch: ≥ 20 archived captures, ≥ 2 GB in all, one incident each (a day apart), --jobs 1 vs --jobs 2 -------------
if (want('batch')) {
// Two sweeps: gzipped archives (payloads random, so they compress like real traffic: ≥ 2 GB compressed) and the same
// kind of captures uncompressed (≥ 2 GB), which is bound by memory bandwidth rather than CPU.
const batchCount = Number(opt('batch-captures', 20));
function batchSet(name, packets, random, gzip) {
  const dir = path.join(dataDir, name);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < batchCount; i++) {
      const f = path.join(dir, `gw-${i % 2 ? 'b' : 'a'}-${String(i).padStart(2, '0')}.pcap`);
      spawnSync(process.execPath, [path.join(root, 'scripts/bench/gen-capture.js'), f, String(packets), String(1_795_586_000 + i * 86_400), random ? 'random' : ''], { stdio: 'inherit' });
    }
    if (gzip) spawnSync('sh', ['-c', `ls ${dir}/*.pcap | xargs -P2 -n1 gzip -1`], { stdio: 'inherit' });
  }
  return dir;
}
for (const [label, dir] of [
  ['gzipped archive', batchSet(`batch-gz-${batchCount}`, Number(opt('batch-gz-packets', 165_000)), true, true)],
  ['uncompressed', batchSet(`batch-${batchCount}`, Number(opt('batch-packets', 150_000)), false, false)],
]) {
  const bytes = readdirSync(dir).reduce((a, f) => a + statSync(path.join(dir, f)).size, 0);
  console.log(`\nbatch, ${label}: ${batchCount} captures, ${(bytes / 1e9).toFixed(2)} GB in all`);
  const bt = [];
  for (const jobs of [1, 2]) {
    const out = path.join(dataDir, `batch-out-${jobs}`);
    rmSync(out, { recursive: true, force: true });
    bt.push(measure(`vrrp-forensics batch --jobs ${jobs}`, [process.execPath, cli, 'batch', dir, '--out', out, '--quiet', '--jobs', String(jobs)]));
  }
  table(bt, bt[0]);
  // a speed-up is a shorter wait: wall time (CPU time stays about the same with two workers)
  console.log(`speed-up --jobs 2 vs --jobs 1 (${label}): ${(bt[0].wall / bt[1].wall).toFixed(2)}× wall (target ≥ 1.8× on an idle 2-core machine; ` +
    `load now ${os.loadavg()[0].toFixed(1)}); peak RSS ${bt[0].rss?.toFixed(0)} MB with one worker, ${bt[1].rss?.toFixed(0)} MB with two`);
  summarise(`batch --jobs 2 vs --jobs 1, ${label} (speed-up, wall)`, bt[1], bt[0], 1.8, null, 'speed-up');
  batchRuns.push(dir);
}
}

if (summary.length) {
  console.log(`\nissue 17's table, this run (CPU s unless the row says wall; medians of ${runs}; peak RSS of ours):`);
  // floor: the anchor's work in bare Node, as a ratio to the anchor (a goal below it is out of any Node program's reach)
  console.log(`${'work'.padEnd(56)} ${'ours'.padStart(7)} ${'anchor'.padStart(7)} ${'ratio'.padStart(6)} ${'goal'.padStart(6)} ${'floor'.padStart(6)} ${'RSS MB'.padStart(7)}`);
  for (const r of summary) {
    const floor = r.floor ? `${(r.floor.time / r.anchor.time).toFixed(2)}×` : '';
    const fig = (x) => (r.measure === 'cpu' ? x.time : x.wall);
    const ratio = r.measure === 'speed-up' ? r.anchor.wall / r.ours.wall : fig(r.ours) / fig(r.anchor);
    const goal = `${r.measure === 'speed-up' ? '≥' : '≤'}${r.goal}×`;
    console.log(`${r.work.padEnd(56)} ${fig(r.ours).toFixed(3).padStart(7)} ${fig(r.anchor).toFixed(3).padStart(7)} ${ratio.toFixed(2).padStart(5)}× ${goal.padStart(6)} ${floor.padStart(6)} ${(r.ours.rss === null ? 'n/a' : r.ours.rss.toFixed(0)).padStart(7)}`);
  }
}

if (!keep) {
  for (const d of batchRuns) rmSync(d, { recursive: true, force: true });
  for (const f of [capture, table_, log, aLog, aCap, gzCap, hugeCap]) rmSync(f, { force: true });
  rmSync(stormDir, { recursive: true, force: true });
}
