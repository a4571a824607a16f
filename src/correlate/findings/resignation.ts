import type { ResignationFinding } from '../../model/report.js';
import type { FindingInputs } from '../findings.js';
import { SEC } from './util.js';

/** Priority-0 adverts (info): a master resigning; the same resignation in several captures is one finding. */
export function resignations(x: FindingInputs): ResignationFinding[] {
  const out: ResignationFinding[] = [];
  for (const r of x.wire.resignations) {
    const same = out.find((f) => f.vrid === r.vrid && f.router === r.sender && (f.start > r.at ? f.start - r.at : r.at - f.start) < SEC);
    if (same) {
      same.evidence.push(r.evidence);
      continue;
    }
    out.push({ id: '', kind: 'resignation', severity: 'info', vrid: r.vrid, router: r.sender, start: r.at, end: null, evidence: [r.evidence], src: r.src });
  }
  return out;
}
