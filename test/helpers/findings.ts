import type { CarpFinding, ContradictionFinding, Finding, SplitBrainFinding, TranslationFinding } from '../../src/model/report.js';

/**
 * Any finding, seen through the fields of every kind (each absent where its kind has none): for tests that compare
 * whole reports across runs field by field, whatever the kinds in them.
 */
export type AnyFinding = Finding & Partial<Omit<TranslationFinding, 'kind'>> & Partial<Omit<SplitBrainFinding, 'kind'>> & Partial<Omit<CarpFinding, 'kind'>> &
  Partial<Omit<ContradictionFinding, 'kind' | 'end'>>;

export const fieldsOf = (f: Finding): AnyFinding => f as AnyFinding;
