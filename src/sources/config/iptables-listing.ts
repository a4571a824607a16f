import { parseIptablesSave, type Ruleset } from './firewall.js';

/**
 * The `iptables -t TABLE -nvL` listing (what sos reports keep as `sos_commands/firewall_tables/iptables_-t_nat_-nvL`)
 * read as the rules it shows. It is made for eyes, not for restoring: no table name (taken from what its chains and
 * targets can only belong to), columns instead of options, match details as words after the destination. Each rule
 * is turned into its iptables-save form and parsed by the one ruleset reader, keeping the listing's own line numbers
 * and text, so citations point into the file as it is.
 */

const CHAIN = /^Chain (\S+) \((?:policy (\S+)|\d+ references?)/;
const HEADER = /^\s*pkts\s+bytes\s+target\s+prot\s+opt\s+in\s+out\s+source\s+destination/m;
/** pkts bytes target prot opt in out source destination [details] (target empty for a rule without one) */
const RULE = /^\s*(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(?:(\S+)\s+)??(\S+)\s+(--|-f|!f)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/;
const PROTOS: Record<string, string> = { '0': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '112': 'vrrp', '51': 'ah', '50': 'esp' };

export function isIptablesListing(text: string): boolean {
  return CHAIN.test(text.split('\n', 1)[0]) && HEADER.test(text);
}

/** The table a listing is of: what its targets and chains can only belong to (nat, raw, mangle), else filter. */
function tableOf(targets: Set<string>, chains: Set<string>): string {
  if (['SNAT', 'MASQUERADE', 'DNAT', 'REDIRECT'].some((t) => targets.has(t))) return 'nat';
  if (['NOTRACK', 'CT'].some((t) => targets.has(t))) return 'raw';
  // built-in chains: filter INPUT FORWARD OUTPUT; nat PREROUTING INPUT OUTPUT POSTROUTING; raw PREROUTING OUTPUT; mangle all five
  if (chains.has('FORWARD')) return chains.has('PREROUTING') ? 'mangle' : 'filter';
  if (chains.has('POSTROUTING')) return 'nat';
  if (chains.has('PREROUTING')) return 'raw';
  return 'filter';
}

/** The details column (`to:203.0.113.1`, `ADDRTYPE match dst-type MULTICAST`, `ctstate UNTRACKED`) as options. */
function details(d: string, target: string): string[] {
  const out: string[] = [];
  const to = /(?:^|\s)to:(\S+)/.exec(d);
  if (to && (target === 'SNAT' || target === 'DNAT')) out.push(target === 'SNAT' ? '--to-source' : '--to-destination', to[1]);
  const addr = /ADDRTYPE match dst-type (!?)(\S+)/.exec(d);
  if (addr) out.push('-m', 'addrtype', ...(addr[1] ? ['!'] : []), '--dst-type', addr[2]);
  const ct = /(?:^|\s)ctstate (\S+)/.exec(d);
  if (ct) out.push('-m', 'conntrack', '--ctstate', ct[1]);
  const st = /(?:^|\s)state (\S+)/.exec(d);
  if (st && !ct) out.push('-m', 'state', '--state', st[1]);
  // ports are read as iptables-save's reader reads `-m tcp --dport 22`: a match it does not evaluate further
  const port = /(?:^|\s)(tcp|udp) (?:dpts?|spts?):\S+/.exec(d);
  if (port) out.push('-m', port[1]);
  const stripped = d.replace(/\/\*.*?\*\//g, '').replace(/to:\S+|ADDRTYPE match dst-type \S+|ctstate \S+|state \S+|\bnotrack\b|(?:tcp|udp) (?:dpts?|spts?):\S+/gi, '').trim();
  // anything else (ports, marks, limits) is a match this tool does not evaluate: kept as an unknown module
  if (stripped) out.push('-m', 'listing-details');
  return out;
}

export function parseIptablesListing(text: string): Ruleset | null {
  if (!isIptablesListing(text)) return null;
  const lines = text.split('\n');
  const parsed: { chain: string; line: number; target: string; opts: string[] }[] = [];
  const policies = new Map<string, string>();
  let chain = '';
  lines.forEach((raw, i) => {
    const c = CHAIN.exec(raw);
    if (c) {
      chain = c[1];
      policies.set(chain, c[2] ?? '-');
      return;
    }
    if (!chain || HEADER.test(raw)) return;
    const m = RULE.exec(raw);
    if (!m) return;
    const [, , , target = '', prot, opt, inIf, outIf, src, dst, rest] = m;
    const opts: string[] = [];
    const proto = PROTOS[prot] ?? prot;
    if (proto !== 'all') opts.push(...(proto.startsWith('!') ? ['!', '-p', proto.slice(1)] : ['-p', proto]));
    if (src !== '0.0.0.0/0' && src !== '::/0') opts.push(...(src.startsWith('!') ? ['!', '-s', src.slice(1)] : ['-s', src]));
    if (dst !== '0.0.0.0/0' && dst !== '::/0') opts.push(...(dst.startsWith('!') ? ['!', '-d', dst.slice(1)] : ['-d', dst]));
    if (inIf !== '*') opts.push(...(inIf.startsWith('!') ? ['!', '-i', inIf.slice(1)] : ['-i', inIf]));
    if (outIf !== '*') opts.push(...(outIf.startsWith('!') ? ['!', '-o', outIf.slice(1)] : ['-o', outIf]));
    if (opt.includes('f')) opts.push('-f');
    // iptables-nft lists `-j NOTRACK` as target CT with the word NOTRACK
    const tgt = target === 'CT' && /\bnotrack\b/i.test(rest) ? 'NOTRACK' : target;
    opts.push(...details(rest, tgt));
    if (tgt) opts.push('-j', tgt);
    parsed.push({ chain, line: i + 1, target: tgt, opts });
  });
  const table = tableOf(new Set(parsed.map((p) => p.target)), new Set(policies.keys()));
  // the iptables-save form, line by line; `origin` maps each of its lines back to the listing's
  const save = [`*${table}`, ...[...policies].map(([c, p]) => `:${c} ${p} [0:0]`)];
  const origin = new Map<number, number>();
  for (const p of parsed) {
    save.push(`-A ${p.chain} ${p.opts.join(' ')}`);
    origin.set(save.length, p.line);
  }
  save.push('COMMIT', '');
  const rs = parseIptablesSave(save.join('\n'));
  for (const r of rs.rules) {
    const line = origin.get(r.line);
    if (line === undefined) continue;
    r.line = line;
    r.text = lines[line - 1].trim();
  }
  return rs;
}
