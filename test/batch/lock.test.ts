import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockOutput } from '../../src/batch/lock.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'vf-lock-'));

describe('lockOutput', () => {
  it('one holder per summary: a second is refused, a shard has its own lock, release frees it', () => {
    const out = dir();
    const release = lockOutput(out, 'summary');
    expect(readFileSync(path.join(out, '.summary.lock'), 'utf8')).toBe(`${process.pid} ${os.hostname()}\n`);
    expect(() => lockOutput(out, 'summary')).toThrow(/another batch run \(pid \d+/);
    lockOutput(out, 'summary-shard-1-of-2')();
    release();
    expect(existsSync(path.join(out, '.summary.lock'))).toBe(false);
    lockOutput(out, 'summary')();
  });

  it('a lock from another host is honoured while fresh and taken over once stale (a pod retried elsewhere)', () => {
    const out = dir();
    const file = path.join(out, '.summary.lock');
    writeFileSync(file, '4242 other-pod-7f9c\n');
    expect(() => lockOutput(out, 'summary')).toThrow(/pid 4242 on other-pod-7f9c/);
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(file, old, old);
    const release = lockOutput(out, 'summary');
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid} ${os.hostname()}\n`);
    release();
  });
});
