import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomic } from '../../src/batch/atomic.js';
import { ForensicError } from '../../src/errors.js';

describe('writeAtomic', () => {
  it('writes whole or not at all', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-atomic-'));
    await writeAtomic(path.join(dir, 'r.json'), '{"a":1}\n');
    expect(readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('a full disk: ENOSPC named with the file and a code, the partial file removed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-atomic-'));
    const file = path.join(dir, 'seed--x.json');
    // the disk fills after the first bytes: what a real ENOSPC leaves behind is a partial file
    const fullDisk = async (f: string, text: string | Uint8Array) => {
      await fsp.writeFile(f, text.slice(0, 3));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    };
    const err = await writeAtomic(file, 'x'.repeat(100), fullDisk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForensicError);
    expect((err as ForensicError).code).toBe('E_IO');
    expect((err as ForensicError).file).toBe(file);
    expect((err as ForensicError).toLine()).toBe(`${file}: ENOSPC: no space left on device while writing; the partial file was removed [E_IO]`);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });
});
