import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSeal, verifyDone } from '../../src/batch/resume.js';

describe('verifyDone: why --resume analyses a group again, as a fact', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-resume-'));
  const side = path.join(dir, 'g.summary.json');
  const line = (x: object) => writeFileSync(side, JSON.stringify({ group: 'g', report: 'g.txt', status: 'done', ...x }));

  it('each way a summary line or its report can fail to be the finished one', async () => {
    expect(await verifyDone(dir, 'g', path.join(dir, 'none.json'))).toEqual({ redo: { kind: 'not-done' } });
    writeFileSync(side, '{ cut');
    expect(await verifyDone(dir, 'g', side)).toMatchObject({ redo: { kind: 'line-unparsable' } });
    line({ group: 'other' });
    expect(await verifyDone(dir, 'g', side)).toEqual({ redo: { kind: 'line-not-finished' } });
    line({});
    expect(await verifyDone(dir, 'g', side)).toEqual({ redo: { kind: 'no-digest' } });
    line(reportSeal('report'));
    expect(await verifyDone(dir, 'g', side)).toEqual({ redo: { kind: 'report-missing', report: 'g.txt' } });
    writeFileSync(path.join(dir, 'g.txt'), 'repo');
    expect(await verifyDone(dir, 'g', side)).toEqual({ redo: { kind: 'report-changed', report: 'g.txt', bytes: 4, expected: 6 } });
    writeFileSync(path.join(dir, 'g.txt'), 'report');
    expect(await verifyDone(dir, 'g', side)).toMatchObject({ row: { group: 'g' } });
  });
});
