import type { Ruleset } from '../sources/config/firewall.js';
import { acceptsUntracked, verdictFor } from '../sources/config/packet-path.js';

export interface RemedyInput {
  router: string;
  original: string;
  translated: string;
  /** the group or unicast peer the adverts go to */
  dst: string;
  /** 51 when keepalived uses auth_type AH: the adverts are AH packets, not VRRP */
  protocols: number[];
  interface?: string;
  /** the newest saved ruleset of that router, to say which steps are already in place */
  latest?: { file: string; rules: Ruleset };
}

const NAME: Record<number, string> = { 112: 'vrrp', 51: 'ah' };

/**
 * The fix for one root cause, as commands for this setup, in the order that works: stop tracking VRRP (raw NOTRACK),
 * let untracked VRRP in, keep VRRP out of SNAT, and only then delete the stale entry — deleting first lets the next
 * advert create the same translated entry again.
 */
export function remedyFor(x: RemedyInput): string[] {
  const v6 = x.original.includes(':');
  const ipt = v6 ? 'ip6tables' : 'iptables';
  const fam = v6 ? 'ip6' : 'ip';
  const out: string[] = [`# on ${x.router} (${x.original}); its VRRP adverts leave as ${x.translated}`];
  const have = (p: number, want: 'untracked' | 'exempt') => {
    if (!x.latest) return '';
    const v = verdictFor(x.latest.rules, { src: x.original, dst: x.dst, proto: p, outIf: x.interface });
    return v.decision === want ? `  # already in ${x.latest.file} line ${v.rule!.line}` : '';
  };
  for (const p of x.protocols) {
    const n = NAME[p] ?? String(p);
    out.push(`# 1. do not track ${n.toUpperCase()} (iptables, or the nft form below it)`);
    out.push(`${ipt} -t raw -I OUTPUT -p ${n} -j NOTRACK${have(p, 'untracked')}`);
    out.push(`${ipt} -t raw -I PREROUTING -p ${n} -j NOTRACK`);
    out.push(`nft add table ${fam} raw; nft 'add chain ${fam} raw output { type filter hook output priority raw; }'; nft insert rule ${fam} raw output ${fam} ${v6 ? 'nexthdr' : 'protocol'} ${n} notrack`);
    const acc = x.latest ? acceptsUntracked(x.latest.rules) : undefined;
    out.push(`# 2. accept the now UNTRACKED ${n.toUpperCase()} in filter INPUT`);
    out.push(`${ipt} -I INPUT -p ${n} -m conntrack --ctstate UNTRACKED -j ACCEPT${acc ? `  # already in ${x.latest!.file} line ${acc.line}` : ''}`);
    out.push(`# 3. exempt ${n.toUpperCase()} from SNAT (or restrict the SNAT rule to the uplink with -o)`);
    out.push(`${ipt} -t nat -I POSTROUTING -p ${n} -j RETURN${have(p, 'exempt')}`);
  }
  out.push('# 4. then delete the stale entry (the next advert is untracked and leaves with its real source)');
  for (const p of x.protocols) out.push(`conntrack -D -p ${p} -s ${x.original} -d ${x.dst}`);
  return out;
}
