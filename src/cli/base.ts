import { Command } from '@oclif/core';
import { ForensicError, formatProblemLine, type ErrorCode, type Problem } from '../errors.js';
import type { InputProblem } from '../model/report.js';
import { problemMessage } from '../report/problem-words.js';
import { forTerminal } from '../report/sanitize.js';
import { expandPaths, type Expanded, type InputPath } from '../sources/input.js';
import { refuseInputAsOutput } from './output.js';

/** Exit codes every command keeps: 0 nothing above info, 1 findings, 2 an input could not be read / usage error. */
export const EXIT = { OK: 0, FINDINGS: 1, UNREADABLE: 2 } as const;

/**
 * What every command shares: problems go to stderr as one line each (file + offset/line + code), never a stack trace.
 */
export abstract class BaseCommand extends Command {
  /** inputs skipped as another kind of evidence (found in a folder), and inputs that could not be read at all */
  private readonly tally = { skipped: 0, unreadable: 0 };
  /** what the folder walk passed over (FIFOs, dangling links, cycles, empty files), said once at the end */
  private walked: Expanded | null = null;

  /** The files the arguments name (folders walked), after refusing an output path that is one of them. */
  protected async inputsOf(args: string[], output?: string): Promise<InputPath[]> {
    const x = await expandPaths(args);
    await refuseInputAsOutput(output, x.files);
    this.walked = x;
    return x.files;
  }

  /**
   * After one input is read: a file of another kind met while walking a folder is skipped quietly; otherwise its
   * warnings (the first 20, then how many more) and its error are reported in file order, and an input that gave
   * nothing counts as unreadable. Returns false when the input was skipped.
   */
  protected settleInput(
    info: { problems: Problem[]; error?: ForensicError },
    opts: { file: string; records: number; fromDirectory: boolean; otherKind: ErrorCode },
  ): boolean {
    if (opts.fromDirectory && opts.records === 0 && info.error?.code === opts.otherKind) {
      this.tally.skipped++;
      return false;
    }
    for (const p of info.problems.slice(0, 20)) this.report(p);
    if (info.problems.length > 20) {
      this.report({ code: info.problems[20].code, severity: 'warning', file: opts.file, message: `${info.problems.length - 20} more warnings like these not shown` });
    }
    if (info.error) {
      this.report(info.error);
      if (opts.records === 0) this.tally.unreadable++;
    }
    return true;
  }

  /** After all inputs: the note about skipped files, and exit code 2 when an input could not be read at all. */
  protected finishInputs(what: string): void {
    const w = this.walked;
    for (const p of w?.passedOver.slice(0, 20) ?? []) process.stderr.write(`vrrp-forensics: note: ${forTerminal(p.path)}: not read: ${p.reason}\n`);
    if (w && w.passedOver.length > 20) process.stderr.write(`vrrp-forensics: note: ${w.passedOver.length - 20} more entries not read (not regular files or unreachable)\n`);
    if (w?.emptyFiles) process.stderr.write(`vrrp-forensics: note: ${w.emptyFiles} empty file(s) in the given folders were skipped\n`);
    if (this.tally.skipped) process.stderr.write(`vrrp-forensics: note: ${this.tally.skipped} file(s) in the given folders are not ${what} and were skipped\n`);
    if (this.tally.unreadable) process.exitCode = EXIT.UNREADABLE;
  }

  /** The inputs a report says could not be read: one line each on stderr, as every other unreadable input. */
  protected reportInputErrors(inputs: { path: string; problems: InputProblem[] }[]): void {
    for (const i of inputs) {
      for (const p of i.problems.filter((q) => q.severity === 'error')) {
        this.report({ code: p.code as ErrorCode, severity: 'error', file: i.path, message: `${p.locator ? p.locator + ': ' : ''}${problemMessage(p)}` });
      }
    }
  }

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
    const missing = (err as { args?: { name: string; description?: string }[] }).args;
    if (err.constructor.name === 'RequiredArgsError' && missing?.length) {
      // a bare command: name what is missing (oclif's own first line stops at "Missing 1 required arg:")
      const what = missing.map((a) => `${a.name.toUpperCase()} (${a.description ?? ''})`).join(', ');
      process.stderr.write(`vrrp-forensics: error: missing argument ${forTerminal(what)}; see vrrp-forensics ${forTerminal((this.id ?? '').replace(':', ' '))} --help\n`);
      process.exitCode = EXIT.UNREADABLE;
      return;
    }
    // one line, but whole: oclif puts the reason on the next line ("Parsing --year" / "Expected an integer …")
    process.stderr.write(`vrrp-forensics: error: ${forTerminal(err.message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(': '))}\n`);
    if (process.env.VRRP_FORENSICS_DEBUG) process.stderr.write(String(err.stack) + '\n');
    process.exitCode = EXIT.UNREADABLE;
  }
}
