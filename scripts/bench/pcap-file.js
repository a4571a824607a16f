// The 24-byte classic pcap file header (µs, Ethernet, snaplen 262144) the bench's generated captures start with.
export function pcapHeader() {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(1, 20);
  return h;
}
