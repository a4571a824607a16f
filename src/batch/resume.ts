import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Redo, SummaryRow } from './summary.js';

/** What a summary line records of its report, so --resume can tell the report is the one it describes. */
export function reportSeal(text: string | Uint8Array): { reportBytes: number; reportSha256: string } {
  return { reportBytes: typeof text === 'string' ? Buffer.byteLength(text) : text.length, reportSha256: createHash('sha256').update(text).digest('hex') };
}

/**
 * A group --resume may skip: its summary line parses, is this group's and names a report, and that report exists with
 * the size and digest the line recorded (and, for JSON, parses). Anything else — an empty or cut report, a line from
 * another run, a line without a seal — is analysed again; the reason is returned for the summary.
 */
export async function verifyDone(out: string, group: string, sideFile: string): Promise<{ row: SummaryRow } | { redo: Redo }> {
  let row: SummaryRow;
  try {
    row = JSON.parse(await fsp.readFile(sideFile, 'utf8')) as SummaryRow;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { redo: e.code === 'ENOENT' ? { kind: 'not-done' } : { kind: 'line-unparsable', error: e.message.split('\n')[0] } };
  }
  if (row === null || typeof row !== 'object' || row.group !== group || typeof row.report !== 'string' || row.status !== 'done') {
    return { redo: { kind: 'line-not-finished' } };
  }
  if (row.reportBytes === undefined || row.reportSha256 === undefined) return { redo: { kind: 'no-digest' } };
  let report: Buffer;
  try {
    report = await fsp.readFile(path.join(out, path.basename(row.report)));
  } catch {
    return { redo: { kind: 'report-missing', report: row.report } };
  }
  const seal = reportSeal(report);
  if (report.length !== row.reportBytes || seal.reportSha256 !== row.reportSha256) {
    return { redo: { kind: 'report-changed', report: row.report, bytes: report.length, expected: row.reportBytes } };
  }
  if (row.report.endsWith('.json')) {
    try {
      JSON.parse(report.toString('utf8'));
    } catch {
      return { redo: { kind: 'report-unparsable', report: row.report } };
    }
  }
  return { row };
}
