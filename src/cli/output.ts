import { promises as fsp } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { AtomicFile } from '../batch/atomic.js';
import { ForensicError } from '../errors.js';
import { forTerminal } from '../report/sanitize.js';
import { expandPaths, type InputPath } from '../sources/input.js';

/**
 * Refuses an output path that is one of the inputs, or a link (symbolic or hard) to one, before anything is opened
 * for writing: `adverts cap.pcap -o cap.pcap` must not destroy the capture it is about to read. Files are compared by
 * device and inode; `inputs` are the expanded inputs, or the arguments as given (then walked here).
 */
export async function refuseInputAsOutput(output: string | undefined, inputs: InputPath[] | string[]): Promise<void> {
  if (!output || output === '-') return;
  const st = await fsp.stat(output).catch(() => null);
  if (!st || !st.isFile()) return; // a new file cannot be an input; /dev/stdout or a FIFO is not overwritten
  const id = `${st.dev}:${st.ino}`;
  const files = inputs.length && typeof inputs[0] === 'string' ? (await expandPaths(inputs as string[])).files : (inputs as InputPath[]);
  const hit = files.find((f) => f.id === id);
  if (hit) {
    throw new ForensicError('E_USAGE', `the output file is ${hit.path === output ? 'an input' : `the input ${hit.path}`}: refused, evidence is never overwritten (choose another -o)`, { file: output });
  }
}

/** Control characters made visible line by line (the line breaks themselves kept). */
function inertLines(text: string): string {
  return text.split('\n').map(forTerminal).join('\n');
}

/**
 * A line sink with back-pressure: large outputs stream instead of piling up in memory. A file is written through a
 * temporary name and renamed by close(), so an interrupted run never leaves a truncated report under the final name.
 * On a terminal every control character from the inputs is shown, not run (CSV and l2tcsv cells carry log lines
 * verbatim; a file keeps them as data) — unless the command writes its own colour codes (`raw`).
 */
export class LineSink {
  /** set by a command whose output is already inert and carries its own escape codes (colour) */
  raw = false;

  private constructor(
    private readonly out: Writable,
    private readonly file: AtomicFile | null,
  ) {}

  static async open(file?: string, stdout: Writable = process.stdout): Promise<LineSink> {
    if (!file || file === '-') return new LineSink(stdout, null);
    const f = await AtomicFile.open(file);
    return new LineSink(f.stream, f);
  }

  get isTTY(): boolean {
    return !this.file && Boolean((this.out as NodeJS.WriteStream).isTTY);
  }

  async write(text: string | Uint8Array): Promise<void> {
    if (this.file) return this.file.write(text);
    // bytes (a PNG) are never written to a terminal: the command refuses that first
    const shown = typeof text === 'string' && this.isTTY && !this.raw ? inertLines(text) : text;
    if (!this.out.write(shown)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.file?.commit();
  }
}
