import { promises as fsp } from 'node:fs';
import { readWhole } from '../archive/members.js';
import path from 'node:path';

/** The topology parts of keepalived.conf, each with the file and line it came from. */
export interface VrrpInstanceConf {
  name: string;
  file: string;
  line: number;
  state?: string;
  interface?: string;
  vrid?: number;
  priority?: number;
  advertInt?: number;
  nopreempt?: boolean;
  preemptDelay?: number;
  version?: number;
  mcastSrcIp?: string;
  unicastSrcIp?: string;
  unicastPeers: string[];
  vips: string[];
  vipsExcluded: string[];
  auth?: { type: string; pass?: string };
  trackScripts: { name: string; weight?: number }[];
  trackInterfaces: string[];
  notify: Record<string, string>;
}

export interface VrrpScriptConf {
  name: string;
  file: string;
  line: number;
  script?: string;
  interval?: number;
  weight?: number;
  fall?: number;
  rise?: number;
}

export interface KeepalivedConf {
  routerId?: string;
  instances: VrrpInstanceConf[];
  scripts: VrrpScriptConf[];
  syncGroups: { name: string; members: string[]; line: number; file: string }[];
  /** secrets found (auth_pass, smtp/snmp credentials): outputs redact these unless asked */
  secrets: string[];
  warnings: { file: string; line: number; message: string }[];
  files: string[];
}

interface Tok {
  t: string;
  line: number;
  file: string;
}

const KNOWN_INSTANCE = new Set([
  'state', 'interface', 'virtual_router_id', 'priority', 'advert_int', 'nopreempt', 'preempt_delay', 'version',
  'mcast_src_ip', 'unicast_src_ip', 'unicast_peer', 'virtual_ipaddress', 'virtual_ipaddress_excluded', 'authentication',
  'track_script', 'track_interface', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify',
  'garp_master_delay', 'garp_master_repeat', 'garp_master_refresh', 'dont_track_primary', 'use_vmac', 'vmac_xmit_base',
  'native_ipv6', 'accept', 'no_accept', 'strict_mode', 'smtp_alert', 'virtual_routes', 'virtual_rules', 'track_file',
  'check_unicast_src', 'old_unicast_checksum', 'lvs_sync_daemon_interface', 'debug', 'skip_check_adv_addr',
]);

function tokenize(text: string, file: string): Tok[] {
  const out: Tok[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s[!#].*$|^[!#].*$/, '');
    for (const m of line.matchAll(/"([^"]*)"|\{|\}|[^\s{}"]+/g)) out.push({ t: m[1] ?? m[0], line: i + 1, file });
  });
  return out;
}

/** Reads keepalived.conf and its includes (relative to the including file, globs with * and ?), bounded depth. */
async function load(file: string, depth: number, files: string[], warnings: KeepalivedConf['warnings']): Promise<Tok[]> {
  files.push(file);
  const text = (await readWhole(file, 64 << 20)).toString('utf8');
  const toks = tokenize(text, file);
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].t !== 'include' || i + 1 >= toks.length) {
      out.push(toks[i]);
      continue;
    }
    const pattern = toks[++i].t;
    if (depth >= 8) {
      warnings.push({ file, line: toks[i].line, message: `include ${pattern} not followed: nesting too deep` });
      continue;
    }
    const full = path.resolve(path.dirname(file), pattern);
    const dir = path.dirname(full);
    const re = new RegExp('^' + path.basename(full).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
    const names = (await fsp.readdir(dir).catch(() => [] as string[])).filter((n) => re.test(n)).sort();
    if (!names.length) warnings.push({ file, line: toks[i].line, message: `include ${pattern}: no such file` });
    for (const n of names) out.push(...(await load(path.join(dir, n), depth + 1, files, warnings)));
  }
  return out;
}

export async function readKeepalivedConf(file: string): Promise<KeepalivedConf> {
  const conf: KeepalivedConf = { instances: [], scripts: [], syncGroups: [], secrets: [], warnings: [], files: [] };
  const toks = await load(file, 0, conf.files, conf.warnings);
  return parseTokens(toks, conf);
}

export function parseKeepalivedConf(text: string, file = 'keepalived.conf'): KeepalivedConf {
  return parseTokens(tokenize(text, file), { instances: [], scripts: [], syncGroups: [], secrets: [], warnings: [], files: [file] });
}

/** Keywords whose value is a credential, in any block (VRRP auth, SMTP/SNMP settings, TLS key passwords). */
const SECRET_KEYWORDS = /^(?:\w+_)?(?:pass|password|passwd|secret|community)$/i;

/**
 * Every credential the file holds. An auth_pass longer than 8 characters also gives its first 8: keepalived sends
 * only those on the wire (RFC 2338 simple auth), so they appear in captures and in its own log lines.
 */
function harvestSecrets(toks: Tok[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 1 < toks.length; i++) {
    const [k, v] = [toks[i], toks[i + 1]];
    if (!SECRET_KEYWORDS.test(k.t) || v.line !== k.line || v.file !== k.file || v.t === '{' || v.t === '}') continue;
    out.add(v.t);
    if (k.t === 'auth_pass' && v.t.length > 8) out.add(v.t.slice(0, 8));
  }
  return [...out];
}

function parseTokens(toks: Tok[], conf: KeepalivedConf): KeepalivedConf {
  conf.secrets.push(...harvestSecrets(toks));
  let i = 0;
  /** the tokens of one `{ … }` block, as lines (keyword + args), nested blocks kept as sub-lists */
  const block = (): Tok[][] => {
    const lines: Tok[][] = [];
    let cur: Tok[] = [];
    if (toks[i]?.t !== '{') return lines;
    i++;
    while (i < toks.length && toks[i].t !== '}') {
      const tk = toks[i];
      if (tk.t === '{') {
        const inner = block();
        lines.push(cur, ...inner.map((l) => [{ t: '\u0000', line: tk.line, file: tk.file }, ...l]));
        cur = [];
        continue;
      }
      if (cur.length && tk.line !== cur[0].line) {
        lines.push(cur);
        cur = [];
      }
      cur.push(tk);
      i++;
    }
    if (cur.length) lines.push(cur);
    i++; // the closing }
    return lines.filter((l) => l.length);
  };
  const num = (s: string | undefined) => (s === undefined || Number.isNaN(Number(s)) ? undefined : Number(s));
  while (i < toks.length) {
    const kw = toks[i];
    const name = toks[i + 1]?.t;
    if (kw.t === 'global_defs') {
      i++;
      for (const l of block()) {
        if (l[0].t === 'router_id') conf.routerId = l[1]?.t;
      }
    } else if (kw.t === 'vrrp_instance' && name) {
      i += 2;
      const inst: VrrpInstanceConf = { name, file: kw.file, line: kw.line, unicastPeers: [], vips: [], vipsExcluded: [], trackScripts: [], trackInterfaces: [], notify: {} };
      let section = '';
      for (const l of block()) {
        const nested = l[0].t === '\u0000';
        const words = (nested ? l.slice(1) : l).map((x) => x.t);
        if (!nested) section = '';
        if (!nested && l.length === 1 && ['unicast_peer', 'virtual_ipaddress', 'virtual_ipaddress_excluded', 'authentication', 'track_script', 'track_interface', 'virtual_routes', 'virtual_rules', 'track_file'].includes(words[0])) {
          section = words[0];
          continue;
        }
        if (nested) {
          if (section === 'unicast_peer') inst.unicastPeers.push(words[0]);
          else if (section === 'virtual_ipaddress') inst.vips.push(words[0]);
          else if (section === 'virtual_ipaddress_excluded') inst.vipsExcluded.push(words[0]);
          else if (section === 'track_interface') inst.trackInterfaces.push(words[0]);
          else if (section === 'track_script') inst.trackScripts.push({ name: words[0], weight: words[1] === 'weight' ? num(words[2]) : undefined });
          else if (section === 'authentication') {
            inst.auth ??= { type: '' };
            if (words[0] === 'auth_type') inst.auth.type = words[1] ?? '';
            if (words[0] === 'auth_pass' && words[1]) {
              inst.auth.pass = words[1];
            }
          }
          continue;
        }
        const [k, v] = words;
        switch (k) {
          case 'state': inst.state = v; break;
          case 'interface': inst.interface = v; break;
          case 'virtual_router_id': inst.vrid = num(v); break;
          case 'priority': inst.priority = num(v); break;
          case 'advert_int': inst.advertInt = num(v); break;
          case 'nopreempt': inst.nopreempt = true; break;
          case 'preempt_delay': inst.preemptDelay = num(v); break;
          case 'version': inst.version = num(v); break;
          case 'mcast_src_ip': inst.mcastSrcIp = v; break;
          case 'unicast_src_ip': inst.unicastSrcIp = v; break;
          default:
            if (k.startsWith('notify')) inst.notify[k] = words.slice(1).join(' ');
            else if (!KNOWN_INSTANCE.has(k)) conf.warnings.push({ file: l[0].file, line: l[0].line, message: `unknown keyword "${k}" in vrrp_instance ${name}; ignored` });
        }
      }
      conf.instances.push(inst);
    } else if (kw.t === 'vrrp_script' && name) {
      i += 2;
      const s: VrrpScriptConf = { name, file: kw.file, line: kw.line };
      for (const l of block()) {
        const [k, ...rest] = l.map((x) => x.t);
        if (k === 'script') s.script = rest.join(' ');
        else if (k === 'interval' || k === 'weight' || k === 'fall' || k === 'rise') s[k] = num(rest[0]);
      }
      conf.scripts.push(s);
    } else if (kw.t === 'vrrp_sync_group' && name) {
      i += 2;
      const members: string[] = [];
      let inGroup = false;
      for (const l of block()) {
        if (l[0].t === 'group') inGroup = true;
        else if (l[0].t === '\u0000' && inGroup) members.push(l[1].t);
      }
      conf.syncGroups.push({ name, members, line: kw.line, file: kw.file });
    } else if (kw.t === '{') {
      block(); // a block we do not model (virtual_server, …)
    } else {
      i++;
    }
  }
  return conf;
}
