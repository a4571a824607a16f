import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAwaited } from './spawn.js';

/** Debian's chromium (the CI installs it); the launch flags that work in this sandbox. */
export const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);

export interface Rendered {
  dom: string;
  /** console messages the page produced (any at all is a failure for a report with no script) */
  console: string[];
}

/** Loads a local HTML file headless: the DOM after load, console messages, and optionally a PNG screenshot. */
export async function render(file: string, screenshot?: string, width = 1300): Promise<Rendered> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium); .ci/run installs it');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'vf-chromium-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', `--window-size=${width},2000`];
  try {
    const url = 'file://' + path.resolve(file);
    const dom = await runAwaited(CHROMIUM, [...flags, '--dump-dom', url], { timeout: 120_000 });
    const console = (dom.stderr ?? '').split('\n').filter((l) => l.includes(':CONSOLE'));
    if (screenshot) {
      const shot = await runAwaited(CHROMIUM, [...flags, `--screenshot=${path.resolve(screenshot)}`, url], { timeout: 120_000 });
      console.push(...(shot.stderr ?? '').split('\n').filter((l) => l.includes(':CONSOLE')));
    }
    return { dom: dom.stdout, console };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
