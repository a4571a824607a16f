import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';

/** A line sink with back-pressure: large outputs stream instead of piling up in memory. */
export class LineSink {
  private constructor(
    private readonly out: Writable,
    private readonly owned: boolean,
  ) {}

  static async open(file?: string): Promise<LineSink> {
    if (!file || file === '-') return new LineSink(process.stdout, false);
    const ws = createWriteStream(file, { flags: 'w' });
    await once(ws, 'open');
    return new LineSink(ws, true);
  }

  get isTTY(): boolean {
    return !this.owned && Boolean((this.out as NodeJS.WriteStream).isTTY);
  }

  async write(text: string | Uint8Array): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (this.owned) {
      this.out.end();
      await once(this.out, 'finish');
    }
  }
}
