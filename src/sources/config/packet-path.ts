import { isMulticast } from '../../model/address.js';
import { chainNamed, reachableRules, type Chain, type Rule, type Ruleset } from './firewall.js';

/**
 * What a saved ruleset does to an outgoing VRRP advert, walked as netfilter walks it: base chains found by hook and
 * type (not by name) in priority order, jumps and gotos followed, RETURN back to the caller. Rules with matches this
 * tool cannot evaluate are listed as "maybe" rather than guessed.
 */
export interface AdvertPacket {
  src: string;
  dst: string;
  /** 112, or 51 with auth_type AH */
  proto: number;
  outIf?: string;
  /** the interface an incoming advert arrives on, when known */
  inIf?: string;
}

export type Verdict = { decision: 'translated' | 'exempt' | 'untracked' | 'no-rule'; rule?: Rule; maybe: Rule[] };

const VRRP_NAMES = new Set(['vrrp', '112']);
const AH_NAMES = new Set(['ah', '51']);
/** conntrack hooks in at priority -200: only chains before it can keep a packet untracked */
const CONNTRACK_PRIORITY = -200;
/** jumps followed this deep at most (a ruleset with a jump loop would not load, but a saved file can say anything) */
const MAX_DEPTH = 16;

function protoMatches(r: Rule, proto: number): boolean {
  if (!r.proto) return true;
  const names = proto === 51 ? AH_NAMES : VRRP_NAMES;
  const hit = r.proto.name === 'all' || r.proto.name === '0' || names.has(r.proto.name);
  return r.proto.negated ? !hit : hit;
}

function inPrefix(addr: string, cidr: string): boolean {
  const [net, lenS] = cidr.split('/');
  if (addr.includes(':') || net.includes(':')) {
    // IPv6: exact address, or the multicast range ff00::/8
    return net.toLowerCase() === addr.toLowerCase() || (net.toLowerCase().startsWith('ff') && lenS === '8' && addr.toLowerCase().startsWith('ff'));
  }
  const len = lenS === undefined ? 32 : Number(lenS);
  if (len === 0) return true;
  const v = (a: string) => a.split('.').reduce((s, o) => s * 256 + Number(o), 0);
  const unit = 2 ** (32 - len);
  return Math.floor(v(addr) / unit) === Math.floor(v(net) / unit);
}

function addrMatches(m: Rule['src'], addr: string): boolean {
  if (!m) return true;
  const hit = inPrefix(addr, m.addr);
  return m.negated ? !hit : hit;
}

function ifMatches(m: Rule['outIf'], name: string | undefined, inbound = false): boolean | 'maybe' {
  if (!m) return true;
  // a peer's advert never comes in on the loopback: `-i lo -j ACCEPT`, in nearly every ruleset, does not accept it
  if (name === undefined && inbound && m.name === 'lo') return m.negated;
  if (name === undefined) return 'maybe';
  const hit = m.name.endsWith('+') ? name.startsWith(m.name.slice(0, -1)) : name === m.name;
  return m.negated ? !hit : hit;
}

function matcher(p: AdvertPacket): (r: Rule) => boolean | 'maybe' {
  const multicast = isMulticast(p.dst);
  return (r) => {
    if (!protoMatches(r, p.proto) || !addrMatches(r.src, p.src) || !addrMatches(r.dst, p.dst)) return false;
    if (r.dstMulticast !== undefined && r.dstMulticast !== multicast) return false;
    const o = ifMatches(r.outIf, p.outIf);
    const i = ifMatches(r.inIf, p.inIf, true);
    if (o === false || i === false) return false;
    return o === 'maybe' || i === 'maybe' || r.unknownMatches.length ? 'maybe' : true;
  };
}

/** The base chains on `hook` that see a packet of this IP version, in the order the kernel runs them. */
function baseChains(rs: Ruleset, hook: string, v6: boolean, keep: (c: Chain) => boolean): Chain[] {
  return rs.chains
    .filter((c) => c.hook === hook && keep(c) && (c.family === undefined || c.family === 'inet' || c.family === (v6 ? 'ip6' : 'ip')))
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
}

/** How a rule ends a walk: it decides the question, or ends this base chain without deciding it. */
type Decide = (r: Rule) => 'decides' | 'ends' | 'continue';
/** `returned`: the RETURN that sent the packet back, when a jumped-to chain did (the reason a base chain may fall through) */
type Walked = { how: 'decides' | 'ends'; rule: Rule } | { how: 'return'; returned?: Rule };

/** Rules looked at per question at most: a damaged file can make chains jump to themselves many times over. */
const MAX_VISITS = 100_000;

interface WalkContext {
  rs: Ruleset;
  matches: (r: Rule) => boolean | 'maybe';
  decide: Decide;
  maybe: Rule[];
  visits: number;
  /** chains being walked: a jump back into one is a loop (netfilter refuses to load those; a saved file may have one) */
  stack?: Set<Chain>;
}

/** Runs one chain's rules for the packet, following jumps (back on RETURN or at the end) and gotos (no way back). */
function walk(x: WalkContext, chain: Chain, depth = 0): Walked {
  const stack = (x.stack ??= new Set());
  stack.add(chain);
  try {
    return walkRules(x, chain, depth);
  } finally {
    stack.delete(chain);
  }
}

function walkRules(x: WalkContext, chain: Chain, depth: number): Walked {
  const { rs, matches, decide, maybe } = x;
  let returned: Rule | undefined;
  for (const r of chain.rules) {
    if (++x.visits > MAX_VISITS) {
      maybe.push(r); // too much to walk: say where it stopped rather than guess
      return { how: 'return', returned };
    }
    const m = matches(r);
    if (m === false) continue;
    if (m === 'maybe') {
      maybe.push(r);
      continue;
    }
    if (r.jump) {
      const target = depth < MAX_DEPTH ? chainNamed(rs, chain, r.jump.chain) : undefined;
      if (!target) continue;
      if (x.stack!.has(target)) {
        maybe.push(r);
        continue;
      }
      const w = walk(x, target, depth + 1);
      if (w.how !== 'return') return w;
      returned = w.returned ?? returned;
      if (r.jump.goto) return { how: 'return', returned };
      continue;
    }
    // RETURN goes back to the caller; in a base chain there is none, and the chain's policy applies
    if (r.target === 'RETURN') return chain.hook === undefined ? { how: 'return', returned: r } : { how: 'ends', rule: r };
    const d = decide(r);
    if (d !== 'continue') return { how: d, rule: r };
  }
  return { how: 'return', returned };
}

/**
 * Raw OUTPUT NOTRACK first (chains before conntrack); then the nat POSTROUTING chains: SNAT/MASQUERADE translate,
 * ACCEPT/RETURN exempt (in nft, an accept ends only its own chain: a later nat chain can still translate).
 */
export function verdictFor(rs: Ruleset, p: AdvertPacket): Verdict {
  const maybe: Rule[] = [];
  const matches = matcher(p);
  for (const c of baseChains(rs, 'output', p.src.includes(':'), (x) => x.type === 'filter' && (x.priority ?? 0) < CONNTRACK_PRIORITY)) {
    const w = walk({ rs, matches, maybe, visits: 0, decide: (r) => (r.notrack ? 'decides' : r.target === 'ACCEPT' || r.target === 'DROP' || r.target === 'REJECT' ? 'ends' : 'continue') }, c);
    if (w.how === 'decides') return { decision: 'untracked', rule: w.rule, maybe };
  }
  const nat = natVerdict(rs, p);
  return { ...nat, maybe: [...new Set([...maybe, ...nat.maybe])] };
}

/**
 * The nat stage alone: what a new conntrack entry for the advert would get. A base chain that ends on ACCEPT/RETURN,
 * or falls through after a jumped-to chain RETURNed it, exempts the advert — and that rule is the one cited.
 */
export function natVerdict(rs: Ruleset, p: AdvertPacket): Verdict {
  const maybe: Rule[] = [];
  const matches = matcher(p);
  let exempt: Rule | undefined;
  for (const c of baseChains(rs, 'postrouting', p.src.includes(':'), (x) => x.type === 'nat')) {
    const w = walk({ rs, matches, maybe, visits: 0, decide: (r) => (r.target === 'SNAT' || r.target === 'MASQUERADE' ? 'decides' : r.target === 'ACCEPT' || r.target === 'DROP' ? 'ends' : 'continue') }, c);
    if (w.how === 'decides') return { decision: 'translated', rule: w.rule, maybe: [...new Set(maybe)] };
    if (w.how === 'ends') exempt ??= w.rule;
    else if (w.how === 'return' && w.returned) exempt ??= w.returned;
  }
  return { decision: exempt ? 'exempt' : 'no-rule', ...(exempt ? { rule: exempt } : {}), maybe: [...new Set(maybe)] };
}

/** Does filter INPUT accept untracked (or all VRRP) packets — needed once NOTRACK is in place? */
export function acceptsUntracked(rs: Ruleset): Rule | undefined {
  const accepts = (r: Rule) => /^ACCEPT$/i.test(r.target) &&
    ((r.ctstates?.includes('UNTRACKED') ?? false) || (r.proto !== undefined && VRRP_NAMES.has(r.proto.name) && !r.proto.negated));
  for (const r of reachableRules(rs, baseChains(rs, 'input', false, (x) => x.type === 'filter'))) if (accepts(r)) return r;
  return undefined;
}

/**
 * What a saved ruleset does to an incoming VRRP advert before keepalived's socket: the rule that drops it (raw
 * PREROUTING before conntrack, then the filter INPUT chains), or undefined. A conntrack state match counts only when it
 * names NEW (an advert stream is never ESTABLISHED: nothing replies to it); rules with matches this tool cannot
 * evaluate are passed over, never guessed to drop. A base chain the advert falls through ends in its policy: a DROP
 * policy drops it — said only when no rule passed over could have accepted it (`policy` is then set on the answer).
 */
export function inboundDrop(rs: Ruleset, p: { src: string; dst: string; proto: number; inIf?: string }): (Rule & { policy?: true }) | undefined {
  const base = matcher(p);
  const matches = (r: Rule) => (r.ctstates && !r.ctstates.includes('NEW') ? false : base(r));
  const decide: Decide = (r) => (r.target === 'DROP' || r.target === 'REJECT' ? 'decides' : r.target === 'ACCEPT' ? 'ends' : 'continue');
  const v6 = p.src.includes(':');
  const chains = [
    ...baseChains(rs, 'prerouting', v6, (x) => x.type === 'filter' && (x.priority ?? 0) < CONNTRACK_PRIORITY),
    ...baseChains(rs, 'input', v6, (x) => x.type === 'filter'),
  ];
  for (const c of chains) {
    const x: WalkContext = { rs, matches, maybe: [], visits: 0, decide };
    const w = walk(x, c);
    if (w.how === 'decides') return w.rule;
    // fell through (not cut short at MAX_VISITS: the rest unwalked could accept it) with nothing passed over that might accept
    if (w.how === 'return' && x.visits <= MAX_VISITS && c.policyAt && c.policy?.toUpperCase() === 'DROP' && !x.maybe.some(mayAccept)) {
      return { family: c.family, table: c.table, chain: c.name, line: c.policyAt.line, text: c.policyAt.text, unknownMatches: [], target: 'DROP', policy: true };
    }
  }
  return undefined;
}

/** A rule passed over (its match unknown) that might have let the advert through: an accept, or a jump elsewhere. */
const mayAccept = (r: Rule) => r.target === 'ACCEPT' || r.jump !== undefined || r.target === 'RETURN';
