import type { Evidence, TimelineEntry, Transition } from '../model/report.js';

/**
 * A state transition cited: keepalived's own words ("Entering MASTER STATE", rebuilt from the typed transition), with
 * the host and the state it left as the role's facts when the citation names them.
 */
export function transitionEvidence(t: Pick<Transition, 'file' | 'line' | 'at' | 'to'> & { from?: string | null }, host?: string): Evidence {
  return {
    file: t.file, locator: `line ${t.line}`, at: t.at, text: `Entering ${t.to} STATE`,
    role: { kind: 'transition', ...(host !== undefined ? { host } : {}), ...(t.from ? { from: t.from } : {}) },
  };
}

/** A line the analysis put on the timeline (an advert or announcement run) cited by its fact, worded at the edge. */
export function citeLine(e: Pick<TimelineEntry, 'file' | 'locator' | 'at' | 'fact'>): Evidence {
  return { file: e.file, locator: e.locator, at: e.at, text: '', ...(e.fact ? { fact: e.fact } : {}) };
}

/** A collapsed run of the timeline cited by its first entry: its words as the timeline gives them, how many it stands for. */
export function runEvidence(run: Pick<TimelineEntry, 'file' | 'locator' | 'at' | 'fact' | 'repeat'>): Evidence {
  return { ...citeLine(run), ...(run.repeat ? { role: { kind: 'repeated', times: run.repeat } } : {}) };
}
