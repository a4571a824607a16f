import type { Evidence, LinkDownFinding, Remedy, Transition } from '../model/report.js';
import type { LinkDown } from '../model/story.js';
import type { KaEvent } from '../model/keepalived.js';
import type { SideRun } from '../sources/syslog/kernel-lines.js';

const SEC = 1_000_000_000n;
/** an instance enters FAULT within this of keepalived's netlink line */
const FAULT_WITHIN = 2n * SEC;
/** the peer's takeover on the advert timeout comes within its master-down interval (3 × interval + skew) and a margin */
const TAKEOVER_WITHIN = 15n * SEC;
/** kernel link lines this close to keepalived's line are the same event */
const KERNEL_NEAR = 5n * SEC;
const MAX_EVENTS = 10_000;

/** keepalived's "Netlink reports <if> down|up" / "Kernel is reporting: interface <if> DOWN|UP", as typed facts. */
export interface LinkEvent {
  host: string;
  interface: string;
  up: boolean;
  at: bigint;
  file: string;
  line: number;
  text: string;
}

/** Collects keepalived's interface lines from the merged stream (bounded: a flapping link is a list, not a leak). */
export class LinkWatch {
  readonly events: LinkEvent[] = [];

  event(ev: KaEvent, at: bigint, host: string | null): void {
    if (ev.type !== 'interface' || !host || ev.fields.interface === undefined || ev.fields.up === undefined) return;
    if (this.events.length >= MAX_EVENTS) return;
    this.events.push({ host, interface: ev.fields.interface, up: ev.fields.up, at, file: ev.file, line: ev.line, text: ev.message });
  }
}

export type HostSideRun = SideRun & { host: string | null };

const cite = (file: string, line: number, at: bigint, text: string): Evidence => ({ file, locator: `line ${line}`, at, text });

/**
 * A link going down as a cause other than NAT: keepalived on the host saw its interface go down (and the kernel's
 * NIC/bonding lines say so too, where the syslog has them), its instance went to FAULT, and the peer took MASTER on
 * the advert timeout — the host's priority-0 advert cannot leave over a dead link, so the peer waits the whole
 * master-down interval. Each such takeover's reason is given the cause (typed) so the transition says why.
 */
export function linkDownFindings(links: LinkEvent[], transitions: Transition[], kernel: HostSideRun[]): LinkDownFinding[] {
  const out: LinkDownFinding[] = [];
  const downs = links.filter((l) => !l.up);
  for (const d of downs) {
    // one finding per outage: a second "down" line before the link came back is the same outage
    const prevUp = links.filter((l) => l.host === d.host && l.interface === d.interface && l.at < d.at).at(-1);
    if (prevUp && !prevUp.up) continue;
    const up = links.find((l) => l.host === d.host && l.interface === d.interface && l.up && l.at >= d.at) ?? null;
    const fault = transitions.find((t) => t.host === d.host && t.to === 'FAULT' && t.at >= d.at && t.at - d.at <= FAULT_WITHIN) ?? null;
    // the state it was in: its last transition by then, not the FAULT itself (whole-second logs give both one time)
    const before = transitions.filter((t) => t !== fault && t.host === d.host && t.at <= d.at && (!fault || t.instance === fault.instance)).at(-1);
    const wasMaster = before?.to === 'MASTER';
    const until = up && up.at - d.at < TAKEOVER_WITHIN ? up.at : d.at + TAKEOVER_WITHIN;
    const takeover = transitions.find((t) => t.host !== null && t.host !== d.host && t.to === 'MASTER' && t.at > d.at && t.at <= until &&
      t.reason?.kind === 'advert-timeout' && !t.reason.dropped) ?? null;
    if (!fault && !wasMaster) continue;
    const near = kernel.filter((r) => r.host === d.host && (r.kind === 'link-down' || r.kind === 'link-up') &&
      (r.interface === undefined || r.interface === d.interface) && r.first.at <= (up?.at ?? d.at) + KERNEL_NEAR && r.last.at >= d.at - KERNEL_NEAR);
    const kernelDown = near.filter((r) => r.kind === 'link-down').sort((a, b) => b.precision - a.precision || (a.first.at < b.first.at ? -1 : 1))[0];
    const fact: LinkDown = {
      host: d.host, interface: d.interface, downAt: d.at, upAt: up?.at ?? null, faultAt: fault?.at ?? null, wasMaster,
      kernelLines: maxPerFile(near), takeover: takeover?.host ? { host: takeover.host, at: takeover.at } : null,
    };
    const evidence: Evidence[] = [cite(d.file, d.line, d.at, d.text)];
    if (kernelDown) evidence.push(cite(kernelDown.file, kernelDown.first.line, kernelDown.first.at, kernelDown.first.text));
    if (fault) evidence.push(cite(fault.file, fault.line, fault.at, `${d.host} Entering FAULT STATE`));
    if (takeover) evidence.push(cite(takeover.file, takeover.line, takeover.at, `${takeover.host} Entering MASTER STATE (from ${takeover.from ?? '?'})`));
    if (up) evidence.push(cite(up.file, up.line, up.at, up.text));
    if (takeover?.reason?.kind === 'advert-timeout') takeover.reason.after = { kind: 'peer-link-down', host: d.host, interface: d.interface };
    out.push({
      id: '', kind: 'link-down', severity: 'warning', vrid: null, router: d.host, start: d.at, end: up?.at ?? null,
      hosts: takeover?.host ? [d.host, takeover.host] : [d.host], linkDown: fact, evidence, remedy: linkRemedy(d.host, d.interface),
    });
  }
  return out;
}

function maxPerFile(runs: HostSideRun[]): number {
  const per = new Map<string, number>();
  for (const r of runs) if (r.kind === 'link-down') per.set(r.file, (per.get(r.file) ?? 0) + r.lines);
  return [...per.values()].reduce((a, b) => Math.max(a, b), 0);
}

/** The remedy for a link that went down: the link itself, not the firewall; and no flapping with it. */
function linkRemedy(host: string, ifname: string): Remedy {
  return {
    for: { kind: 'link', host, interface: ifname },
    steps: [
      { n: 1, action: 'check-link', syntax: 'shell', commands: [{ command: `ip -s link show ${ifname}; ethtool ${ifname}; journalctl -k | grep -i ${ifname}` }] },
      { n: 2, action: 'damp-flapping', syntax: 'shell', commands: [] },
    ],
  };
}
