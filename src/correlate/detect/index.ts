import type { LoadContext } from '../load/context.js';
import { LogDetector } from '../states.js';
import { WireDetector } from '../wire.js';
import { clockDetector } from './clocks.js';
import { deafDetector } from './deaf-takeover.js';
import type { Board, Detector } from './detector.js';
import { evidenceEndMark } from './evidence-end.js';
import { exhaustionDetector } from './exhaustion.js';
import { findingsDetector } from './findings.js';
import { logDetector } from './logs.js';
import { wireDetector } from './wire.js';

/**
 * The detectors, in the order they finish: the stream's (wire, logs) first, then the end of the evidence, then those
 * that read what the others found — a new one goes in its own file and in this list where what it reads is ready.
 */
export function detectorsFor(ctx: LoadContext): { board: Board; detectors: Detector[] } {
  const board: Board = {
    ctx,
    wire: new WireDetector(ctx.topo, ctx.timeline),
    logs: new LogDetector(ctx.topo, ctx.timeline, (host, instance) => ctx.vridOf(host, instance), (host, group) => ctx.syncGroups.get(`${host}|${group}`) ?? []),
    end: null, exhausted: [], deaf: [], findings: [], clocks: [],
  };
  const detectors = [wireDetector(board), logDetector(board), evidenceEndMark(), exhaustionDetector(), deafDetector(), findingsDetector(), clockDetector()];
  return { board, detectors };
}
