import type { InputProblem, ProblemFact } from '../model/report.js';

/** A problem the analysis states as a fact, in words (a file of no known kind: with the detector's reason). */
function problemText(f: ProblemFact, message: string | undefined): string {
  switch (f.kind) {
    case 'more-problems': return `${f.count} more warnings`;
    case 'not-evidence': return `not evidence this tool reads (${message ?? ''})`;
    case 'fold-bound': return `${f.lines} lines counted twice: each one's copy in another log of the host had left the folding of the copies before it came (more than ${f.held} lines held at once)`;
  }
}

/** A problem's message as every format and stderr give it: the reader's own, or the analysis's fact worded. */
export function problemMessage(p: InputProblem): string {
  return p.fact ? problemText(p.fact, p.message) : p.message ?? '';
}
