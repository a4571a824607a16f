import type { Check, InputSummary } from '../model/report.js';
import type { KeepalivedConf } from './config/keepalived-conf.js';
import type { CaptureReplay } from './capture/replay.js';
import type { ConntrackReplay } from './conntrack/reader.js';
import type { SyslogReplay } from './syslog/reader.js';
import { CAPTURE } from './kinds/capture.js';
import { CONNTRACK } from './kinds/conntrack.js';
import { FIREWALL } from './kinds/firewall.js';
import { KEEPALIVED_CONF } from './kinds/keepalived-conf.js';
import { SYSLOG } from './kinds/syslog.js';

/**
 * The one place an input kind is declared. Each kind is a `Source` in a file of its own (sources/kinds/): how its
 * content is told apart (sniff), what the planner learns from its first bytes (peek), the span of its VRRP evidence
 * (batch's scan), and what the report calls it and lets the analysis check. Detection, planning, batch and the
 * analysis's loaders (correlate/load/) all go through sources(); none of them switches on a kind name.
 */
export type InputKind = 'capture' | 'conntrack' | 'syslog' | 'keepalived-conf' | 'firewall' | 'unknown';
export type KnownKind = Exclude<InputKind, 'unknown'>;

/** The first (decompressed) bytes of a file as the text signs see them. */
export interface SniffView {
  head: Buffer;
  text: string;
  /** non-blank lines, without the last (maybe cut) one */
  lines: string[];
  /** the first 40 of them: what a vote counts */
  sample: string[];
}

/** What a sign saw: the input's format when the sign tells it, and why (for the inputs summary). */
export interface Sighting {
  format?: string;
  reason: string;
}

/**
 * A decisive sign of a kind. Signs are tried by `order`, lowest first, across every kind: below TEXT_ORDER on the raw
 * bytes (magic numbers), then — binary content being no kind — on the text, the vote at VOTE_ORDER, then the rest.
 */
export interface Sign {
  order: number;
  test(v: SniffView): Sighting | null;
}

/**
 * Line-by-line evidence of a kind, counted over the sample: a kind wins the vote with most lines (half or more, not a
 * few: a README or a ticket that quotes an entry or a log line is not evidence of that kind) and more lines than every
 * other kind; a tie goes to the lower `rank` (conntrack's entries carry timestamps that look like syslog framing).
 */
export interface Vote {
  rank: number;
  count(line: string): number;
  reason(k: number, sampled: number): string;
}

/** What the planner learns from an input's first bytes: its host's evidence, and what the analysis reuses. */
export interface Peeked {
  /** syslog: hostnames in its first lines */
  syslogHosts?: string[];
  /** capture: the first packet's time */
  firstPacket?: bigint;
  /** capture: sources of the adverts it marks as sent by the capturing host */
  sentAddresses?: string[];
  /** keepalived.conf: router_id and the addresses it sends adverts from */
  routerId?: string;
  confAddresses?: string[];
  /** keepalived.conf: the parsed file, so analyze does not read it again */
  conf?: KeepalivedConf;
}

/** What a span pass read whole, for its analysis to take instead of reading the file again (batch). */
export type Replay = CaptureReplay | SyslogReplay | ConntrackReplay;

export interface SpanOptions {
  /** --year for year-less logs */
  year?: number;
  /** where a file read whole leaves its records (batch: its incident's analysis takes them instead of reading again) */
  keep?: { max: number; put(replay: Replay): void };
}

/** What a span pass found besides the times it reported through `see`. */
export interface SpanResult {
  hosts?: string[];
  error?: string;
}

export interface Source {
  kind: KnownKind;
  /** the kind's name in the report (InputSummary.kind; the JSON contract's word) */
  label: Exclude<InputSummary['kind'], 'unknown'>;
  /** the checks its evidence makes possible (Report.coverage) */
  checks: Check[];
  signs: Sign[];
  vote?: Vote;
  /**
   * Its span is long (a log covers a day): batch's grouping lets it join each incident it overlaps instead of gluing
   * every incident of that day into one (correlate/incidents.ts).
   */
  joinsIncidents?: boolean;
  peek?(path: string, format: string | undefined): Promise<Peeked>;
  /**
   * One quick pass for the times of its VRRP evidence (batch groups files into incidents by them); kinds without
   * (configs, rulesets) have none and join the incidents of their folder.
   */
  span?(path: string, format: string | undefined, opts: SpanOptions, see: (t: bigint) => void): Promise<SpanResult>;
}

/** Signs below this order see the raw bytes only; from it on, the text (binary content is no kind). */
export const TEXT_ORDER = 20;
/** Where the line vote falls among the signs. */
export const VOTE_ORDER = 60;

let all: { list: readonly Source[]; byKind: Map<InputKind, Source>; byLabel: Map<string, Source> } | null = null;
/**
 * Every kind, in the order the analysis loads them (configs, rulesets and conntrack before the streamed captures and
 * logs). Built at the first call: the kinds' readers import detection, which imports this module back.
 */
function registry(): NonNullable<typeof all> {
  if (!all) {
    const list = [KEEPALIVED_CONF, FIREWALL, CONNTRACK, CAPTURE, SYSLOG];
    all = { list, byKind: new Map(list.map((s) => [s.kind, s])), byLabel: new Map(list.map((s) => [s.label, s])) };
  }
  return all;
}

export const sources = (): readonly Source[] => registry().list;
/** The source of a kind (undefined for 'unknown'). */
export const sourceOf = (kind: InputKind): Source | undefined => registry().byKind.get(kind);
/** What the report calls a kind. */
export const labelOf = (kind: InputKind): InputSummary['kind'] => registry().byKind.get(kind)?.label ?? 'unknown';
/** The kind the report's name stands for. */
export const kindOfLabel = (label: InputSummary['kind']): InputKind => registry().byLabel.get(label)?.kind ?? 'unknown';
