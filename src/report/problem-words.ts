import type { InputProblem, ProblemFact } from '../model/report.js';

/** A problem the analysis states as a fact, in words. */
function problemText(f: ProblemFact): string {
  switch (f.kind) {
    case 'more-problems': return `${f.count} more warnings`;
    case 'not-evidence': return `not evidence this tool reads (${f.reason})`;
  }
}

/** A problem's message as every format and stderr give it: the reader's own, or the analysis's fact worded. */
export function problemMessage(p: InputProblem): string {
  return p.fact ? problemText(p.fact) : p.message ?? '';
}
