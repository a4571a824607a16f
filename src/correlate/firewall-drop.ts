import { runEvidence, transitionEvidence } from './cite.js';
import type { Evidence, Finding, FirewallDropFinding, Remedy, SplitBrainFinding, TimelineEntry, Transition } from '../model/report.js';
import type { FirewallDrop } from '../model/story.js';
import { inboundDrop } from '../sources/config/packet-path.js';
import { lastYielded, previousTransitions } from './heard.js';
import type { Rule } from '../sources/config/firewall.js';
import type { RuleSnapshot } from './findings.js';
import type { Topology } from './topology.js';

const SEC = 1_000_000_000n;
/** iptables-save's "Generated on" is a whole second: a snapshot taken in the takeover's second counts as in force */
const SNAPSHOT_SLACK = SEC;

export interface FirewallInputs {
  transitions: Transition[];
  /** the finished timeline: advert runs per capture, sender and priority */
  timeline: readonly TimelineEntry[];
  topo: Topology;
  rules: RuleSnapshot[];
}

/** The snapshot of a host's rules in force at `at` (the newest taken by then). */
export function inForce(rules: RuleSnapshot[], host: string, at: bigint): RuleSnapshot | undefined {
  return rules.filter((r) => r.host === host && r.at <= at + SNAPSHOT_SLACK).at(-1);
}

/** A host's keepalived.conf instance of the vrid (its first, with no vrid asked). */
function instanceOf(topo: Topology, host: string, vrid: number | undefined) {
  return topo.routers.get(host)?.instances.find((i) => vrid === undefined || i.vrid === vrid);
}

/** Where a host's peers send their adverts: its own address when it has unicast peers, else VRRP's group. */
export function advertDestination(topo: Topology, host: string, vrid: number | undefined, src: string): string {
  const inst = instanceOf(topo, host, vrid);
  if (inst?.unicastPeers.length && inst.unicastSrcIp) return inst.unicastSrcIp;
  return src.includes(':') ? 'ff02::12' : '224.0.0.18';
}

/** The interface a host's keepalived listens on for the vrid (its keepalived.conf), where its adverts come in. */
export function advertInterface(topo: Topology, host: string, vrid: number | undefined): string | undefined {
  return instanceOf(topo, host, vrid)?.interface;
}

/**
 * The rule of a host's saved ruleset that drops adverts from `src` to `dst` coming in on `inIf` (when known), with where
 * it stands — or the chain's DROP policy they fall to (`policy`).
 */
export function droppingRule(snap: RuleSnapshot, src: string, dst: string, inIf?: string, proto = 112): (Rule & { policy?: true }) | undefined {
  return inboundDrop(snap.rules, { src, dst, proto, ...(inIf !== undefined ? { inIf } : {}) });
}

/** The evidence line of a saved rule. */
export function ruleEvidence(snap: RuleSnapshot, r: Rule): Evidence {
  return { file: snap.file, locator: `line ${r.line}`, at: snap.at, text: r.text };
}

/**
 * A firewall rule dropping VRRP as a cause other than NAT: a host takes MASTER on an advert timeout while a higher-
 * priority master's adverts reach its own capture (or, with no capture of them, the master its own log last yielded to) and
 * its saved ruleset in force drops them (raw PREROUTING or filter INPUT: proto 112, the group, the peer). The takeover's
 * reason is given the cause (typed), and the finding cites the rule and the snapshot where it is gone.
 */
export function firewallDropFindings(x: FirewallInputs): FirewallDropFinding[] {
  const out: FirewallDropFinding[] = [];
  const seen = new Set<string>();
  let previous: Map<Transition, Transition | undefined> | undefined;
  for (const tr of x.transitions) {
    if (tr.to !== 'MASTER' || !tr.host || tr.reason?.kind !== 'advert-timeout' || tr.reason.dropped) continue;
    const host = tr.host;
    const snap = inForce(x.rules, host, tr.at);
    if (!snap) continue;
    const router = x.topo.routers.get(host);
    const own = new Set(router?.addresses.keys() ?? []);
    const inst = router?.instances.find((i) => i.name === tr.instance);
    const prio = inst?.priority;
    // the master it should have heard: a sender above its priority on its own capture through that moment — or, with
    // no capture of it, the master its own log last yielded to
    const run = x.timeline.find((e) => e.source === 'capture' && e.host === host && e.src !== undefined && !own.has(e.src) &&
      e.priority !== undefined && (prio === undefined || e.priority > prio) && e.at <= tr.at - SEC && (e.until ?? e.at) >= tr.at - SEC);
    const vrid = run?.vrid ?? inst?.vrid;
    const yielded = run?.src ? undefined : lastYielded(tr, (previous ??= previousTransitions(x.transitions)).get(tr), x.topo);
    const src = run?.src ?? yielded?.src;
    if (!src) continue;
    const dst = advertDestination(x.topo, host, vrid, src);
    const inIf = advertInterface(x.topo, host, vrid);
    const rule = droppingRule(snap, src, dst, inIf);
    if (!rule) continue;
    tr.reason.after = { kind: 'firewall-drop', file: snap.file, line: rule.line };
    const key = `${host}|${snap.file}|${rule.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const removed = x.rules.find((r) => r.host === host && r.at > snap.at && !droppingRule(r, src, dst, inIf)) ?? null;
    const fact: FirewallDrop = {
      host, rule: { file: snap.file, line: rule.line, table: rule.table, chain: rule.chain, text: rule.text, target: rule.target, ...(rule.policy ? { policy: true as const, ...(rule.family ? { family: rule.family } : {}) } : {}) },
      savedAt: snap.at, removed: removed ? { file: removed.file, at: removed.at } : null, from: src, to: dst, tookMasterAt: tr.at,
      ...(run ? {} : { heardBy: 'log' as const }),
    };
    const evidence: Evidence[] = [
      ruleEvidence(snap, rule),
      transitionEvidence({ ...tr, to: 'MASTER' }, host),
      run ? runEvidence(run) : yielded!.evidence,
    ];
    out.push({
      id: '', kind: 'firewall-drop', severity: 'warning', vrid: vrid ?? null, router: host, start: tr.at, end: removed?.at ?? null,
      hosts: [host], firewallDrop: fact, evidence, remedy: dropRemedy(fact, snap.rules.format),
    });
  }
  return out;
}

/**
 * Once ids are given: a split brain on the host that began at its takeover was caused by the rule (unless a
 * translation already explains it); the finding becomes critical.
 */
export function linkFirewallDrops(findings: Finding[]): void {
  for (const d of findings.filter((f): f is FirewallDropFinding => f.kind === 'firewall-drop')) {
    const x = d.firewallDrop;
    for (const s of findings.filter((f): f is SplitBrainFinding => f.kind === 'split-brain' && !f.causedBy && f.hosts.includes(x.host))) {
      if (x.tookMasterAt === null || s.start < x.tookMasterAt - SEC || s.start > x.tookMasterAt + 5n * SEC) continue;
      s.causedBy = d.id;
      (d.led ??= []).push(s.id);
      d.severity = 'critical';
    }
  }
}

/** The remedy: accept VRRP before the drop, then take the rule out (a chain's policy stays: VRRP is accepted before it). */
function dropRemedy(f: FirewallDrop, format: 'iptables-save' | 'nft'): Remedy {
  const about = { kind: 'firewall-rule' as const, host: f.host, file: f.rule.file, line: f.rule.line, from: f.from };
  if (format === 'nft' && f.rule.policy) {
    return { for: about, steps: [{ n: 1, action: 'accept-vrrp', syntax: 'nft', commands: [{ command: `nft insert rule ${f.rule.family ?? 'ip'} ${f.rule.table} ${f.rule.chain} meta l4proto vrrp accept` }] }] };
  }
  if (f.rule.policy) {
    const table = f.rule.table === 'filter' ? '' : `-t ${f.rule.table} `;
    return { for: about, steps: [{ n: 1, action: 'accept-vrrp', syntax: 'iptables', commands: [{ command: `iptables ${table}-I ${f.rule.chain} -p vrrp -j ACCEPT` }] }] };
  }
  if (format === 'nft') {
    return { for: about, steps: [{ n: 1, action: 'accept-vrrp', syntax: 'nft', commands: [{ command: 'nft -a list ruleset | grep -n "ip protocol vrrp\\|224.0.0.18"' }] }] };
  }
  const table = f.rule.table === 'filter' ? '' : `-t ${f.rule.table} `;
  const spec = f.rule.text.replace(/^-A\s+\S+\s*/, '');
  return {
    for: about,
    steps: [
      { n: 1, action: 'accept-vrrp', syntax: 'iptables', commands: [{ command: `iptables ${table}-I ${f.rule.chain} -p vrrp -j ACCEPT` }] },
      { n: 2, action: 'remove-rule', syntax: 'iptables', commands: [{ command: `iptables ${table}-D ${f.rule.chain} ${spec}` }] },
    ],
  };
}
