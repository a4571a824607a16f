import { asForensicError, locatorOf, type Problem } from '../../errors.js';
import { wallClockToEpochMs } from '../../model/instant.js';
import type { CaptureRecord } from '../../model/records.js';
import type { InputSummary } from '../../model/report.js';
import type { FlowHistory } from '../../model/conntrack.js';
import { labelOf } from '../../sources/registry.js';
import type { SideRun } from '../../sources/syslog/kernel-lines.js';
import type { KaEvent } from '../../model/keepalived.js';
import type { RuleSnapshot } from '../findings.js';
import type { PlannedInput } from '../plan.js';
import { TimelineCollector } from '../timeline.js';
import { Topology } from '../topology.js';

export interface AnalyzeOptions {
  /** the display zone: printed times and the words of findings */
  tz: string;
  /** the zone times written without one are read in (default UTC) */
  inputTz?: string;
  /** per host, instead of inputTz */
  hostTz?: Map<string, string>;
  year?: number;
  hostFlags?: [string, string][];
  genericTimeout?: number;
  /** apply the estimated clock offsets to the hosts' log times */
  alignClocks?: boolean;
  /** --at: dump time for conntrack files that do not state one */
  at?: bigint;
  showSecrets?: boolean;
  /** the report is one of batch's: its advice for mixed incidents must not be "run batch" */
  inBatch?: boolean;
}

/** One record of the time-ordered stream: a packet from a capture or an event from a log, at its (aligned) time. */
export type Item =
  | { at: bigint; host: string | null; rec: CaptureRecord; ev?: undefined }
  | { at: bigint; host: string | null; ev: KaEvent; rec?: undefined };

/** A streamed input as the merge pulls it: the next batch of items, in the input's own order. */
export type Lane = () => Promise<IteratorResult<Item[], unknown>>;

export type HostFlowText = FlowHistory & { host: string | null; text?: string };

/**
 * What the loaders (one per input kind, correlate/load/) read the inputs into: the topology and the timeline every
 * detector shares, each input's summary, and the lanes of the merge. Also the zones times without one are read in.
 */
export class LoadContext {
  readonly topo = new Topology();
  readonly timeline = new TimelineCollector();
  /** per input, in the order the loaders met them */
  readonly summaries = new Map<PlannedInput, InputSummary>();
  /** VRRP auth passwords, redacted from the report unless --show-secrets */
  readonly secrets = new Set<string>();
  /** `host|group` → the instances of a keepalived sync group */
  readonly syncGroups = new Map<string, string[]>();
  /** saved rulesets, in time order */
  readonly rules: RuleSnapshot[] = [];
  /** conntrack's VRRP/AH flows, with their host and the text of the line cited */
  flows: HostFlowText[] = [];
  readonly lanes: Lane[] = [];
  /** the streamed inputs whose records the merge may count as out of order */
  readonly streamed = new Set<InputSummary>();
  /** one host's logs may hold the same messages (rsyslog's two framings): fold them on the stream */
  foldCopies = false;
  /** vrids a log's events name (the master changes they cover need no wire guess) */
  readonly logVrids = new Set<number>();
  /** the kernel's and keepalived's lines about dropped packets, read apart after the stream */
  side: (SideRun & { host: string | null })[] = [];
  /** each syslog's side lines, as its one pass found them */
  sideOf = new Map<PlannedInput, SideRun[]>();
  private readonly readers = new Map<string, ReturnType<typeof wallClockToEpochMs>>();

  /**
   * @param live the inputs read (the plan's, less those skipped)
   * @param offsets per host, the clock offset its log times are aligned by (--align-clocks)
   */
  constructor(readonly opts: AnalyzeOptions, readonly live: PlannedInput[], readonly offsets: Map<string, bigint>) {}

  /** The summary of an input, under its kind's report name. */
  summary(p: PlannedInput, format: string | null): InputSummary {
    const s: InputSummary = { path: p.path, kind: labelOf(p.kind), format, host: p.host, records: 0, first: null, last: null, problems: [] };
    if (p.hostFrom) s.hostFrom = p.hostFrom;
    if (p.hostVia) s.hostVia = p.hostVia;
    if (p.hostWeak) s.hostWeak = true;
    this.summaries.set(p, s);
    return s;
  }

  /** A reader's problems (the first 50, then a count) and the error that stopped it, on its input's summary. */
  problems(s: InputSummary, ps: Problem[], err?: Error): void {
    for (const p of ps.slice(0, 50)) s.problems.push({ locator: locatorOf(p) ?? '', message: p.message, severity: p.severity, code: p.code });
    if (ps.length > 50) s.problems.push({ locator: '', severity: 'warning', code: ps[50].code, fact: { kind: 'more-problems', count: ps.length - 50 } });
    if (err) {
      const fe = asForensicError(err, s.path);
      s.problems.push({ locator: locatorOf(fe) ?? '', message: fe.message, severity: 'error', code: fe.code });
    }
  }

  /** zone-less times are read in the input zone (per host when given), never in the display zone */
  zoneOf(host: string | null): string {
    return (host && this.opts.hostTz?.get(host)) || this.opts.inputTz || 'UTC';
  }

  clockOf(host: string | null): ReturnType<typeof wallClockToEpochMs> {
    const z = this.zoneOf(host);
    if (!this.readers.has(z)) this.readers.set(z, wallClockToEpochMs(z));
    return this.readers.get(z)!;
  }

  /** An input's span grows with each time it gave. */
  seen(s: InputSummary, at: bigint): void {
    if (s.first === null || at < s.first) s.first = at;
    if (s.last === null || at > s.last) s.last = at;
  }

  /** The vrid of a host's instance, from its keepalived.conf. */
  vridOf(host: string, instance: string): number | null {
    return this.topo.routers.get(host)?.instances.find((i) => i.name === instance)?.vrid ?? null;
  }
}
