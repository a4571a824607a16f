// The anchors' own work done in Node, and nothing more: how far below the anchor any Node program can go on this
// machine. `--captures` files are gunzipped (when .gz) and walked record by record, counting VRRP packets (classic pcap;
// Ethernet or Linux cooked links: the link types the bench's inputs use); `--lines` files are gunzipped and split into
// lines, counting those that hold NEEDLE (grep -c). No analysis, no CLI framework: Node's start-up, zlib and a byte
// walk. The bench prints it beside ours and the anchor, so a goal below it is shown to be out of reach.
//
//   node scripts/bench/floor.js [--needle TEXT] [--captures F ...] [--lines F ...]
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const args = process.argv.slice(2);
const caps = [];
const logs = [];
let needle = Buffer.from('Keepalived');
for (let i = 0, into = null; i < args.length; i++) {
  if (args[i] === '--captures') into = caps;
  else if (args[i] === '--lines') into = logs;
  else if (args[i] === '--needle') needle = Buffer.from(args[++i]);
  else into?.push(args[i]);
}

/** the file's bytes in chunks, gunzipped when it ends in .gz (1 MiB pieces, as the tool's own reader takes them) */
function chunks(file) {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  return file.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
}

/** VRRP packets of a classic pcap (the bench's generated and storm captures are classic pcap) */
async function countVrrp(file) {
  let buf = Buffer.alloc(0);
  let pos = 24;
  let link = -1;
  let vrrp = 0;
  for await (const c of chunks(file)) {
    buf = pos < buf.length ? Buffer.concat([buf.subarray(pos), c]) : c;
    pos = 0;
    if (link < 0) {
      link = buf.readUInt32LE(20);
      pos = 24;
    }
    while (pos + 16 <= buf.length) {
      const incl = buf.readUInt32LE(pos + 8);
      if (pos + 16 + incl > buf.length) break;
      const p = pos + 16;
      // Ethernet: type at 12, IPv4 protocol at 14 + 9; Linux cooked (113): type at 14, protocol at 16 + 9
      const [typeAt, ip] = link === 113 ? [14, 16] : [12, 14];
      if (buf[p + typeAt] === 0x08 && buf[p + typeAt + 1] === 0 && buf[p + ip + 9] === 112) vrrp++;
      pos = p + incl;
    }
  }
  return vrrp;
}

/** lines holding the needle (grep -c): each hit counted once for its line */
async function countLines(file) {
  let carry = Buffer.alloc(0);
  let n = 0;
  for await (const c of chunks(file)) {
    const buf = carry.length ? Buffer.concat([carry, c]) : c;
    const last = buf.lastIndexOf(10);
    let at = buf.indexOf(needle);
    while (at >= 0 && at < last) {
      n++;
      const nl = buf.indexOf(10, at);
      at = buf.indexOf(needle, nl + 1);
    }
    carry = buf.subarray(last + 1);
  }
  return n;
}

for (const f of caps) console.log(`${f}: ${await countVrrp(f)} VRRP packets`);
for (const f of logs) console.log(`${f}: ${await countLines(f)} lines`);
