import { natRules, type Chain, type Rule, type Ruleset } from '../sources/config/firewall.js';
import { acceptsUntracked, natVerdict, verdictFor } from '../sources/config/packet-path.js';
import type { Remedy, RemedyCommand, RemedyStep } from '../model/report.js';

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
 * tables and chains; otherwise iptables, with the nft form beside it. Steps the newest saved ruleset already has cite
 * its rule. Worded at the edge (report/finding-words.ts).
 */
export function remedyFor(x: RemedyInput): Remedy {
  const steps: RemedyStep[] = [];
  const rs = x.latest?.rules;
  for (const p of x.protocols) steps.push(...(rs?.format === 'nft' ? nftSteps(x, p, x.latest!.file, rs) : iptablesSteps(x, p)));
  steps.push({ n: 4, action: 'delete-entry', syntax: 'shell', commands: x.protocols.map((p) => ({ command: `conntrack -D -p ${p} -s ${x.original} -d ${x.dst}` })) });
  return { for: { kind: 'translation', router: x.router, original: x.original, translated: x.translated }, steps };
}

/** A command, citing the saved rule that already does it. */
const cmd = (command: string, file: string, r: Rule | undefined): RemedyCommand => (r ? { command, alreadyIn: { file, line: r.line } } : { command });

function iptablesSteps(x: RemedyInput, p: number): RemedyStep[] {
  const v6 = x.original.includes(':');
  const ipt = v6 ? 'ip6tables' : 'iptables';
  const fam = v6 ? 'ip6' : 'ip';
  const n = NAME[p] ?? String(p);
  const pkt = { src: x.original, dst: x.dst, proto: p, outIf: x.interface };
  const rs = x.latest?.rules;
  const file = x.latest?.file ?? '';
  const untracked = rs ? verdictFor(rs, pkt) : undefined;
  const exempt = rs ? natVerdict(rs, pkt) : undefined;
  const step = (k: number, action: RemedyStep['action'], commands: RemedyCommand[]): RemedyStep => ({ n: k, action, protocol: n, syntax: 'iptables', commands });
  return [
    step(1, 'notrack', [
      cmd(`${ipt} -t raw -I OUTPUT -p ${n} -j NOTRACK`, file, untracked?.decision === 'untracked' ? untracked.rule : undefined),
      { command: `${ipt} -t raw -I PREROUTING -p ${n} -j NOTRACK` },
      { command: `nft add table ${fam} raw; nft 'add chain ${fam} raw output { type filter hook output priority raw; }'; nft insert rule ${fam} raw output ${fam} ${v6 ? 'nexthdr' : 'protocol'} ${n} notrack`, alternative: 'nft' },
    ]),
    step(2, 'accept-untracked', [cmd(`${ipt} -I INPUT -p ${n} -m conntrack --ctstate UNTRACKED -j ACCEPT`, file, rs ? acceptsUntracked(rs) : undefined)]),
    step(3, 'exempt-from-snat', [cmd(`${ipt} -t nat -I POSTROUTING -p ${n} -j RETURN`, file, exempt?.decision === 'exempt' ? exempt.rule : undefined)]),
  ];
}

/** The nft match for protocol `n` in a table of this family. */
function protoMatch(family: string | undefined, n: string): string {
  return family === 'ip' ? `ip protocol ${n}` : family === 'ip6' ? `ip6 nexthdr ${n}` : `meta l4proto ${n}`;
}

function nftSteps(x: RemedyInput, p: number, file: string, rs: Ruleset): RemedyStep[] {
  const n = NAME[p] ?? String(p);
  const pkt = { src: x.original, dst: x.dst, proto: p, outIf: x.interface };
  // the fix goes where the translation is: the table (and chain) of the SNAT rule, else a table of the router's own
  const snat = natRules(rs).find((r) => r.target === 'SNAT' || r.target === 'MASQUERADE');
  const home = snat ?? rs.rules[0];
  const fam = home?.family ?? (x.original.includes(':') ? 'ip6' : 'ip');
  const table = home ? `${fam} ${home.table}` : `${fam} vrrp_fix`;
  const m = protoMatch(fam, n);
  const step = (k: number, action: RemedyStep['action'], commands: RemedyCommand[]): RemedyStep => ({ n: k, action, protocol: n, syntax: 'nft', commands });
  const v = verdictFor(rs, pkt);
  const notrack = step(1, 'notrack', [
    ...(home ? [] : [{ command: `nft add table ${table}` }]),
    cmd(`nft 'add chain ${table} ${n}_notrack_out { type filter hook output priority raw; }'; nft add rule ${table} ${n}_notrack_out ${m} notrack`, file, v.decision === 'untracked' ? v.rule : undefined),
    { command: `nft 'add chain ${table} ${n}_notrack_in { type filter hook prerouting priority raw; }'; nft add rule ${table} ${n}_notrack_in ${m} notrack` },
  ]);
  const acc = acceptsUntracked(rs);
  const input: Chain | undefined = rs.chains.find((c) => c.hook === 'input' && c.type === 'filter');
  const accept = step(2, 'accept-untracked', []);
  if (acc || input) {
    const c = acc ? rs.chains.find((k) => k.rules.includes(acc))! : input!;
    accept.commands.push(cmd(`nft insert rule ${c.family} ${c.table} ${c.name} ${protoMatch(c.family, n)} ct state untracked accept`, file, acc));
  } else accept.nothingTo = { missing: 'input-chain', file };
  const exempt = step(3, 'exempt-from-snat', []);
  const ex = natVerdict(rs, pkt);
  if (snat) exempt.commands.push(cmd(`nft insert rule ${snat.family} ${snat.table} ${snat.chain} ${protoMatch(snat.family, n)} accept`, file, ex.decision === 'exempt' ? ex.rule : undefined));
  else exempt.nothingTo = { missing: 'snat-rule', file };
  return [notrack, accept, exempt];
}
