import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian's chromium (the CI installs it); the launch flags that work in this sandbox. */
export const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);

export interface Rendered {
  dom: string;
  /** console messages the page produced (any at all is a failure for a report with no script) */
  console: string[];
}

/**
 * One headless run, awaited (never spawnSync: a test worker blocked for a minute misses vitest's 60 s RPC deadline
 * and the run ends "Timeout calling onTaskUpdate" although every test passed).
 */
function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

/** Loads a local HTML file headless: the DOM after load, console messages, and optionally a PNG screenshot. */
export async function render(file: string, screenshot?: string, width = 1300): Promise<Rendered> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium); .ci/run installs it');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'vf-chromium-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', `--window-size=${width},2000`];
  try {
    const url = 'file://' + path.resolve(file);
    const dom = await run(CHROMIUM, [...flags, '--dump-dom', url]);
    const console = (dom.stderr ?? '').split('\n').filter((l) => l.includes(':CONSOLE'));
    if (screenshot) {
      const shot = await run(CHROMIUM, [...flags, `--screenshot=${path.resolve(screenshot)}`, url]);
      console.push(...(shot.stderr ?? '').split('\n').filter((l) => l.includes(':CONSOLE')));
    }
    return { dom: dom.stdout, console };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
