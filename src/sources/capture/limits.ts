/** No packet record is believed beyond this, whatever its length field says (libpcap's MAXIMUM_SNAPLEN). */
export const MAX_PACKET = 256 * 1024;
/** No pcapng block beyond this: a packet plus generous room for options. */
export const MAX_BLOCK = MAX_PACKET + 64 * 1024;
