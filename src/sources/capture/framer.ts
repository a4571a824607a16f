import type { Problem } from '../../errors.js';

/**
 * The push-parser core shared by the pcap and pcapng readers: feed it chunks of any size; it finds unit boundaries
 * (a file header, a record, a block) and hands each complete unit to the format, parsed in place in the chunk. Only a
 * unit that straddles two chunks is copied, and only up to its own (already validated) length — so memory is bounded
 * by the largest legal unit, never by an untrusted length field.
 */
export interface UnitFormat {
  /**
   * Given `avail` bytes at `pos`, the total length of the next unit, or the number of bytes needed to tell
   * (a header size) when `avail` is too small. Throws ForensicError for a length it will not honour.
   */
  unitLength(buf: Uint8Array, pos: number, avail: number, offset: number): number;
  /** Processes one complete unit of `len` bytes at `pos` (absolute stream offset `offset`). */
  unit(buf: Uint8Array, pos: number, len: number, offset: number): void;
}

export interface FramerInfo {
  /** Bytes consumed so far (decompressed) — doubles as progress. */
  bytes: number;
}

export class Framer {
  private carry: Buffer | null = null;
  /** Absolute offset of the first byte not yet consumed. */
  private offset = 0;
  readonly info: FramerInfo = { bytes: 0 };
  /** Set once a unit would start at or after `stopAt`: the rest of the input is not this framer's (a slice's end). */
  stopped = false;

  constructor(
    private readonly format: UnitFormat,
    private readonly file: string,
    /** units starting at or after this offset are left alone (a parallel read's slice ends there) */
    private readonly stopAt = Infinity,
  ) {}

  /** The offset of the next unit (the one that failed, when write threw). */
  get position(): number {
    return this.offset;
  }

  /** Continues a stream at `offset` (a unit boundary found elsewhere): the next byte written is that offset's. */
  seek(offset: number): void {
    this.carry = null;
    this.offset = offset;
    this.info.bytes = offset;
    this.stopped = offset >= this.stopAt;
  }

  write(chunk: Uint8Array): void {
    if (this.stopped) return;
    let pos = 0;
    if (this.carry) {
      // Complete the straddling unit first, taking from the chunk only the bytes it needs.
      let carry: Buffer = this.carry;
      for (;;) {
        const need = this.format.unitLength(carry, 0, carry.length, this.offset);
        if (carry.length >= need) break;
        const take = Math.min(need - carry.length, chunk.length - pos);
        carry = Buffer.concat([carry, chunk.subarray(pos, pos + take)]);
        pos += take;
        if (carry.length < need) {
          this.carry = carry;
          return;
        }
      }
      const len = this.format.unitLength(carry, 0, carry.length, this.offset);
      this.carry = null;
      this.format.unit(carry, 0, len, this.offset);
      this.offset += len;
      this.info.bytes = this.offset;
      // Only the bytes the unit needed were taken, so nothing of the chunk is left in `carry`.
    }
    const end = chunk.length;
    const stopAt = this.stopAt;
    for (;;) {
      if (this.offset >= stopAt) {
        this.stopped = true;
        this.info.bytes = this.offset;
        return;
      }
      const avail = end - pos;
      if (avail === 0) break;
      const len = this.format.unitLength(chunk, pos, avail, this.offset);
      if (len > avail) break;
      this.format.unit(chunk, pos, len, this.offset);
      pos += len;
      this.offset += len;
    }
    this.info.bytes = this.offset;
    if (pos < end) this.carry = Buffer.from(chunk.subarray(pos)); // copy: do not pin the whole chunk
  }

  /** Call at end of input: a partial unit left over is a truncation, reported as a warning with its offset. */
  end(): Problem | null {
    if (this.stopped || !this.carry || this.carry.length === 0) return null;
    const have = this.carry.length;
    const need = this.format.unitLength(this.carry, 0, have, this.offset);
    this.carry = null;
    return {
      code: 'E_TRUNCATED',
      severity: 'warning',
      message: `input ends inside a record: ${have} of ${need} bytes present; everything before it was read`,
      file: this.file,
      offset: this.offset,
    };
  }
}
