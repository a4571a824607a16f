import type { CarpFinding } from '../../model/report.js';
import type { FindingInputs } from '../findings.js';

/** CARP adverts leaving from a SNAT target instead of the member's own address: the same stale-translation fault. */
export function carpTranslations(x: FindingInputs): CarpFinding[] {
  const out: CarpFinding[] = [];
  for (const g of x.wire.carps()) {
    const tr = g.translated;
    if (!tr) continue;
    out.push({
      id: '', kind: 'carp-source-translated', severity: 'warning', vrid: null, vhid: g.vhid, router: tr.router ?? null,
      originalSource: tr.original, translatedSource: g.src, firstSeen: g.first.at ?? undefined, lastSeen: g.last.at ?? undefined, adverts: g.count,
      evidence: [g.first, g.last, tr.learned.evidence], file: g.file,
    });
  }
  return out;
}
