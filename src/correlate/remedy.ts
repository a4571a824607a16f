import { natRules, type Chain, type Rule, type Ruleset } from '../sources/config/firewall.js';
import { acceptsUntracked, natVerdict, verdictFor } from '../sources/config/packet-path.js';
import { ALTERNATIVE } from '../model/report.js';

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
 * advert create the same translated entry again. A router whose saved ruleset is nft gets nft commands for its own
 * tables and chains; otherwise iptables, with the nft form beside it.
 */
export function remedyFor(x: RemedyInput): string[] {
  const out: string[] = [`# on ${x.router} (${x.original}); its VRRP adverts leave as ${x.translated}`];
  const rs = x.latest?.rules;
  for (const p of x.protocols) out.push(...(rs?.format === 'nft' ? nftSteps(x, p, x.latest!.file, rs) : iptablesSteps(x, p)));
  out.push('# 4. then delete the stale entry (the next advert is untracked and leaves with its real source)');
  for (const p of x.protocols) out.push(`conntrack -D -p ${p} -s ${x.original} -d ${x.dst}`);
  return out;
}

const already = (file: string, r: Rule | undefined) => (r ? `  # already in ${file} line ${r.line}` : '');

function iptablesSteps(x: RemedyInput, p: number): string[] {
  const v6 = x.original.includes(':');
  const ipt = v6 ? 'ip6tables' : 'iptables';
  const fam = v6 ? 'ip6' : 'ip';
  const n = NAME[p] ?? String(p);
  const pkt = { src: x.original, dst: x.dst, proto: p, outIf: x.interface };
  const rs = x.latest?.rules;
  const file = x.latest?.file ?? '';
  const untracked = rs ? verdictFor(rs, pkt) : undefined;
  const exempt = rs ? natVerdict(rs, pkt) : undefined;
  return [
    `# 1. do not track ${n.toUpperCase()}`,
    `${ipt} -t raw -I OUTPUT -p ${n} -j NOTRACK${already(file, untracked?.decision === 'untracked' ? untracked.rule : undefined)}`,
    `${ipt} -t raw -I PREROUTING -p ${n} -j NOTRACK`,
    `${ALTERNATIVE}nft add table ${fam} raw; nft 'add chain ${fam} raw output { type filter hook output priority raw; }'; nft insert rule ${fam} raw output ${fam} ${v6 ? 'nexthdr' : 'protocol'} ${n} notrack`,
    `# 2. accept the now UNTRACKED ${n.toUpperCase()} in filter INPUT`,
    `${ipt} -I INPUT -p ${n} -m conntrack --ctstate UNTRACKED -j ACCEPT${already(file, rs ? acceptsUntracked(rs) : undefined)}`,
    `# 3. exempt ${n.toUpperCase()} from SNAT (or restrict the SNAT rule to the uplink with -o)`,
    `${ipt} -t nat -I POSTROUTING -p ${n} -j RETURN${already(file, exempt?.decision === 'exempt' ? exempt.rule : undefined)}`,
  ];
}

/** The nft match for protocol `n` in a table of this family. */
function protoMatch(family: string | undefined, n: string): string {
  return family === 'ip' ? `ip protocol ${n}` : family === 'ip6' ? `ip6 nexthdr ${n}` : `meta l4proto ${n}`;
}

function nftSteps(x: RemedyInput, p: number, file: string, rs: Ruleset): string[] {
  const n = NAME[p] ?? String(p);
  const pkt = { src: x.original, dst: x.dst, proto: p, outIf: x.interface };
  // the fix goes where the translation is: the table (and chain) of the SNAT rule, else a table of the router's own
  const snat = natRules(rs).find((r) => r.target === 'SNAT' || r.target === 'MASQUERADE');
  const home = snat ?? rs.rules[0];
  const fam = home?.family ?? (x.original.includes(':') ? 'ip6' : 'ip');
  const table = home ? `${fam} ${home.table}` : `${fam} vrrp_fix`;
  const m = protoMatch(fam, n);
  const out: string[] = [`# 1. do not track ${n.toUpperCase()} (raw priority: before conntrack)`];
  if (!home) out.push(`nft add table ${table}`);
  const v = verdictFor(rs, pkt);
  out.push(`nft 'add chain ${table} ${n}_notrack_out { type filter hook output priority raw; }'; nft add rule ${table} ${n}_notrack_out ${m} notrack${already(file, v.decision === 'untracked' ? v.rule : undefined)}`);
  out.push(`nft 'add chain ${table} ${n}_notrack_in { type filter hook prerouting priority raw; }'; nft add rule ${table} ${n}_notrack_in ${m} notrack`);
  out.push(`# 2. accept the now untracked ${n.toUpperCase()} in the input filter`);
  const acc = acceptsUntracked(rs);
  const input: Chain | undefined = rs.chains.find((c) => c.hook === 'input' && c.type === 'filter');
  if (acc || input) {
    const c = acc ? rs.chains.find((k) => k.rules.includes(acc))! : input!;
    out.push(`nft insert rule ${c.family} ${c.table} ${c.name} ${protoMatch(c.family, n)} ct state untracked accept${already(file, acc)}`);
  } else out.push(`# (no input filter chain in ${file}: nothing drops it)`);
  out.push(`# 3. keep ${n.toUpperCase()} out of SNAT: accept it first in the chain that translates`);
  const ex = natVerdict(rs, pkt);
  if (snat) out.push(`nft insert rule ${snat.family} ${snat.table} ${snat.chain} ${protoMatch(snat.family, n)} accept${already(file, ex.decision === 'exempt' ? ex.rule : undefined)}`);
  else out.push(`# (no SNAT or masquerade rule in ${file})`);
  return out;
}
