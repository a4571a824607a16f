/** Sweep progress on stderr: a bar on a TTY, a plain line every few seconds otherwise, nothing with --quiet. */
export class Progress {
  private doneItems = 0;
  private doneBytes = 0;
  private lastLine = 0;
  private readonly t0 = Date.now();

  constructor(
    private readonly what: string,
    private readonly totalItems: number,
    private readonly totalBytes: number,
    private readonly mode: 'tty' | 'lines' | 'quiet',
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  step(bytes: number): void {
    this.doneItems++;
    this.doneBytes += bytes;
    if (this.mode === 'quiet') return;
    const now = Date.now();
    const final = this.doneItems === this.totalItems;
    if (this.mode === 'lines' && !final && now - this.lastLine < 5000) return;
    this.lastLine = now;
    const secs = Math.max(0.001, (now - this.t0) / 1000);
    const rate = this.doneBytes / secs;
    const eta = rate > 0 ? (this.totalBytes - this.doneBytes) / rate : 0;
    const text = `${this.what} ${this.doneItems}/${this.totalItems}, ${mb(this.doneBytes)}/${mb(this.totalBytes)} MB, ${mb(rate)} MB/s, ETA ${eta.toFixed(0)} s`;
    if (this.mode === 'tty') {
      const width = 24;
      const fill = Math.round((this.doneItems / Math.max(1, this.totalItems)) * width);
      this.out.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${text}\u001b[K${final ? '\n' : ''}`);
    } else this.out.write(`vrrp-forensics: ${text}\n`);
  }
}

function mb(n: number): string {
  return (n / 1e6).toFixed(n >= 1e8 ? 0 : 1);
}
