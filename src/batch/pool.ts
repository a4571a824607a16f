import { Worker } from 'node:worker_threads';
import type { Task } from './worker.js';

interface Pending {
  task: Task;
  resolve: (v: { ok: true; value: unknown } | { ok: false; error: string }) => void;
}

/**
 * A fixed set of worker threads, each running one task at a time (a file scan or a group's analysis). A worker that
 * dies is replaced and its task reported as failed; the sweep goes on.
 */
export class Pool {
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private seq = 0;
  private closed = false;

  constructor(private readonly size: number, private readonly script: URL) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    // V8 flags are per process: bin/run.js sets --optimize-for-size for batch, so every worker's heap stays small too
    const w = new Worker(this.script);
    w.on('message', (m: { ok: boolean; value?: unknown; error?: string }) => {
      const p = this.busy.get(w);
      this.busy.delete(w);
      p?.resolve(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error ?? 'failed' });
      this.release(w);
    });
    w.on('error', (err) => this.lost(w, err.message));
    w.on('exit', (code) => {
      if (!this.closed && this.busy.has(w)) this.lost(w, `worker exited with code ${code}`);
    });
    return w;
  }

  private lost(w: Worker, why: string): void {
    const p = this.busy.get(w);
    this.busy.delete(w);
    p?.resolve({ ok: false, error: why });
    if (!this.closed) this.release(this.spawn());
  }

  private release(w: Worker): void {
    if (this.closed) return;
    const next = this.queue.shift();
    if (!next) return void this.idle.push(w);
    this.busy.set(w, next);
    w.postMessage({ id: this.seq++, task: next.task });
  }

  run(task: Task): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
    return new Promise((resolve) => {
      const p: Pending = { task, resolve };
      const w = this.idle.pop();
      if (!w) return void this.queue.push(p);
      this.busy.set(w, p);
      w.postMessage({ id: this.seq++, task });
    });
  }

  /** Stops everything: queued tasks are dropped, running ones are terminated. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // every promise handed out settles: the sweep goes on to write its summary
    for (const p of [...this.queue, ...this.busy.values()]) p.resolve({ ok: false, error: 'interrupted' });
    this.queue.length = 0;
    const all = [...this.idle, ...this.busy.keys()];
    this.busy.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }
}
