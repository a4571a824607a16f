import type { PlannedInput } from '../plan.js';
import type { LoadContext } from './context.js';

/**
 * How the analysis reads one input kind (the reader-side half of the kind is its Source, sources/kinds/): every input of
 * the kind at once, in the plan's order — the small ones into the topology, the streamed ones as lanes of the merge.
 */
export interface Loader {
  load(inputs: PlannedInput[], ctx: LoadContext): Promise<void>;
  /** after the merge: what the kind still reads once the stream has said what it knows (a log's year) */
  after?(inputs: PlannedInput[], ctx: LoadContext): Promise<void>;
}
