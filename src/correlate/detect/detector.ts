import type { ClockOffset, ContradictionFinding, ExhaustionFinding, Finding } from '../../model/report.js';
import type { Item, LoadContext } from '../load/context.js';
import type { LogDetector } from '../states.js';
import type { WireDetector } from '../wire.js';

/**
 * One concern of the analysis. The merge loop hands every item of the time-ordered stream to each detector that takes
 * items; once the stream is over, each detector finishes in the order of DETECTORS (detect/index.ts), reading what the
 * ones before it left on the board and leaving its own results there.
 */
export interface Detector {
  item?(it: Item): void;
  finish(board: Board): void;
}

/** What the detectors share: the loaded inputs, the stream's two state machines, and the results as they come. */
export interface Board {
  readonly ctx: LoadContext;
  /** the adverts on the wire (runs, senders, splits, storms) */
  readonly wire: WireDetector;
  /** keepalived's own account (transitions, drops, stops) */
  readonly logs: LogDetector;
  /** the end of the evidence, as the stream left it (before the side lines join the timeline) */
  end: bigint | null;
  /** conntrack-exhaustion findings: a cause other than NAT */
  exhausted: ExhaustionFinding[];
  /** takeovers on an advert timeout while the host's own capture shows the master's adverts */
  deaf: ContradictionFinding[];
  findings: Finding[];
  clocks: ClockOffset[];
}
