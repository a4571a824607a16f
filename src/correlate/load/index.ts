import { sources, type KnownKind } from '../../sources/registry.js';
import type { PlannedInput } from '../plan.js';
import { loadCaptures } from './capture.js';
import { loadConntrack } from './conntrack.js';
import type { LoadContext } from './context.js';
import { loadFirewall } from './firewall.js';
import { loadKeepalivedConf } from './keepalived-conf.js';
import type { Loader } from './loader.js';
import { loadSyslogs } from './syslog.js';

/** Each input kind's loader (a kind's Source, sources/kinds/, is its reader-side half). */
export const LOADERS: Record<KnownKind, Loader> = {
  'keepalived-conf': loadKeepalivedConf,
  firewall: loadFirewall,
  conntrack: loadConntrack,
  capture: loadCaptures,
  syslog: loadSyslogs,
};

/**
 * Reads the plan into the context, kind by kind in the registry's order (configs, rulesets and conntrack first: the
 * topology the streamed kinds' records are judged against). Files not read still get a summary, saying why.
 */
export async function loadInputs(plan: PlannedInput[], ctx: LoadContext): Promise<void> {
  for (const p of plan.filter((x) => x.skip)) ctx.summary(p, p.format ?? null).notes = [p.skip!];
  // a file named on the command line that is no known kind of evidence: an error, so the exit status says so
  for (const p of ctx.live.filter((x) => x.kind === 'unknown')) {
    // a damaged gzip or archive keeps its own code (E_GZIP, E_TAR…); anything else is of no known format
    ctx.summary(p, null).problems.push({ locator: '', message: p.reason, severity: 'error', code: p.code ?? 'E_UNKNOWN_FORMAT', fact: { kind: 'not-evidence' } });
  }
  for (const s of sources()) await LOADERS[s.kind].load(ctx.live.filter((x) => x.kind === s.kind), ctx);
}

/** What each kind reads once the stream is over. */
export async function afterStream(ctx: LoadContext): Promise<void> {
  for (const s of sources()) await LOADERS[s.kind].after?.(ctx.live.filter((x) => x.kind === s.kind), ctx);
}
