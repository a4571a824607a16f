import { Command } from '@oclif/core';
import { ForensicError, formatProblemLine, type Problem } from '../errors.js';
import { forTerminal } from '../report/sanitize.js';

/** Exit codes every command keeps: 0 nothing above info, 1 findings, 2 an input could not be read / usage error. */
export const EXIT = { OK: 0, FINDINGS: 1, UNREADABLE: 2 } as const;

/**
 * What every command shares: problems go to stderr as one line each (file + offset/line + code), never a stack trace.
 */
export abstract class BaseCommand extends Command {
  protected report(p: Problem | ForensicError): void {
    const line = p instanceof ForensicError ? p.toLine() : formatProblemLine(p.code, p.message, p);
    process.stderr.write(`vrrp-forensics: ${p instanceof ForensicError || p.severity === 'error' ? 'error' : 'warning'}: ${forTerminal(line)}\n`);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof ForensicError) {
      this.report(err);
      process.exitCode = EXIT.UNREADABLE;
      return;
    }
    // oclif's own exits (this.exit) and flag-parsing errors
    if (err.oclif?.exit !== undefined && err.message.startsWith('EEXIT')) throw err;
    process.stderr.write(`vrrp-forensics: error: ${forTerminal(err.message.split('\n')[0])}\n`);
    if (process.env.VRRP_FORENSICS_DEBUG) process.stderr.write(String(err.stack) + '\n');
    process.exitCode = EXIT.UNREADABLE;
  }
}
