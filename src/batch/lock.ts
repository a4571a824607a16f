import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ForensicError } from '../errors.js';

/**
 * One run at a time per output: a lock file beside the summary it will write (`.summary.lock`,
 * `.summary-shard-K-of-N.lock`), so shards of one sweep still share a folder while a second run of the same sweep
 * (a concurrent --resume) is refused instead of writing into the same reports. A lock whose process is gone (kill -9)
 * is taken over. A holder on another host (a shared volume: the pod of a Kubernetes Job retried elsewhere) cannot be
 * checked from here: the holder touches its lock every HEARTBEAT, and a lock untouched for STALE is taken over.
 */
const HEARTBEAT = 10_000;
const STALE = 60_000;

export function lockOutput(out: string, base: string): () => void {
  const file = path.join(out, `.${base}.lock`);
  const me = `${process.pid} ${os.hostname()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      let released = false;
      const beat = setInterval(() => {
        try {
          const now = new Date();
          utimesSync(file, now, now);
        } catch {
          // the folder went away: nothing to keep fresh
        }
      }, HEARTBEAT);
      beat.unref();
      return () => {
        if (released) return;
        released = true;
        clearInterval(beat);
        try {
          if (readFileSync(file, 'utf8') === me) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ForensicError('E_IO', `cannot create the lock file (${(err as Error).message.split('\n')[0]})`, { file });
    }
    const holder = holderOf(file);
    if (holder && holder.alive) {
      throw new ForensicError('E_USAGE', `another batch run (pid ${holder.pid} on ${holder.host}) is writing to this output folder; wait for it, or remove the lock file if that run is gone`, { file });
    }
    try {
      unlinkSync(file);
    } catch {
      // another run took it over first: the next attempt finds its lock
    }
  }
  throw new ForensicError('E_USAGE', 'another batch run took the lock on this output folder', { file });
}

function holderOf(file: string): { pid: number; host: string; alive: boolean } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const [pidText, host = ''] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (host !== os.hostname()) {
    let age = 0;
    try {
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      return null;
    }
    return { pid, host, alive: age < STALE };
  }
  try {
    process.kill(pid, 0);
    return { pid, host, alive: true };
  } catch (err) {
    return { pid, host, alive: (err as NodeJS.ErrnoException).code === 'EPERM' };
  }
}
