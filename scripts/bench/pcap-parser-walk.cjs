// The pcap-parser baseline: walk every packet of a classic pcap and count VRRP (IPv4 protocol 112 on Ethernet).
const pcap = require('pcap-parser');
let packets = 0;
let vrrp = 0;
const p = pcap.parse(process.argv[2]);
p.on('packet', (pk) => {
  packets++;
  if (pk.data.length > 23 && pk.data[12] === 8 && pk.data[13] === 0 && pk.data[23] === 112) vrrp++;
});
p.on('end', () => console.log(`${packets} packets, ${vrrp} vrrp`));
