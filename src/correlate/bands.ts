import type { StateBand } from '../model/report.js';
import type { LogDetector } from './states.js';

/** Each transition starts a band that the next one of the same host and instance ends. */
export function stateBands(logs: LogDetector): StateBand[] {
  type Ev = { at: bigint; host: string; instance?: string; to?: string };
  const evs: Ev[] = [
    ...logs.transitions.map((t) => ({ at: t.at, host: t.host ?? '?', instance: t.instance ?? '?', to: t.to })),
    ...logs.stops.map((s) => ({ at: s.at, host: s.host })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const open = new Map<string, StateBand>();
  const out: StateBand[] = [];
  for (const e of evs) {
    if (!e.to) {
      // keepalived stopping ends every band of that host
      for (const [key, b] of open) {
        if (!key.startsWith(e.host + '|')) continue;
        b.end = e.at;
        open.delete(key);
      }
      continue;
    }
    const key = `${e.host}|${e.instance}`;
    const prev = open.get(key);
    if (prev) prev.end = e.at;
    const band: StateBand = { host: e.host, instance: e.instance!, state: e.to, start: e.at, end: null };
    out.push(band);
    open.set(key, band);
  }
  return out;
}
