/**
 * Record and block descriptor words (IBM z/OS DFSMS, "Variable-length record formats"):
 *
 *   RDW  = LL LL 00 00     LL: record length, 4-byte RDW included; bytes 2-3 are the segment
 *                          descriptor, zero for a record that is not spanned (VS/VBS are not supported)
 *   BDW  = LL LL 00 00     LL: block length, 4-byte BDW included; bit 0x80 of byte 0 clear
 *   BDW  = 1L LL LL LL     extended BDW (large block interface): 31-bit length in all four bytes
 *
 * 'little' byte order is the whole word reversed (`00 00 LL LL`, extended `LL LL LL L1`), as files
 * produced on x86 carry it. The Cobrix vectors (RecordHeaderDecoder{Rdw,Bdw}Suite) are in the tests.
 */
import type { ResolvedDescriptorWord } from './options.ts';

export const DESCRIPTOR_WORD_LENGTH = 4;

/** Either the payload length the word announces, or why the word is not valid. */
export type WordReading = { readonly ok: true; readonly length: number } | { readonly ok: false; readonly zero: boolean; readonly detail: string };

/** Reads an RDW at word[at..at+4): the length of the record data that follows it. */
export function readRdw(word: Uint8Array, at: number, options: ResolvedDescriptorWord, maxRecordLength: number): WordReading {
  const big = options.byteOrder === 'big';
  const reserved = big ? word[at + 2] | word[at + 3] : word[at] | word[at + 1];
  if (reserved !== 0) {
    return fail(
      big
        ? 'bytes 2-3 must be 00 00 (a spanned VS/VBS segment, a little-endian RDW, or not an RDW at all)'
        : 'bytes 0-1 of a little-endian RDW must be 00 00 (a big-endian RDW, or not an RDW at all)',
    );
  }
  const value = big ? (word[at] << 8) | word[at + 1] : word[at + 2] | (word[at + 3] << 8);
  return payloadLength('RDW', value, options, 1, maxRecordLength);
}

/** Reads a BDW at word[at..at+4): the length of the block data that follows it. */
export function readBdw(word: Uint8Array, at: number, options: ResolvedDescriptorWord, minBlockData: number): WordReading {
  const big = options.byteOrder === 'big';
  const flagByte = big ? word[at] : word[at + 3];
  let value: number;
  if (flagByte & 0x80) {
    // Extended BDW: 31 bits. Multiplication, not <<, so the value never turns negative.
    value = big
      ? (word[at] & 0x7f) * 0x1000000 + word[at + 1] * 0x10000 + word[at + 2] * 0x100 + word[at + 3]
      : (word[at + 3] & 0x7f) * 0x1000000 + word[at + 2] * 0x10000 + word[at + 1] * 0x100 + word[at];
  } else {
    const reserved = big ? word[at + 2] | word[at + 3] : word[at] | word[at + 1];
    if (reserved !== 0) return fail(big ? 'bytes 2-3 must be 00 00 unless byte 0 has bit 0x80 (extended BDW)' : 'bytes 0-1 of a little-endian BDW must be 00 00');
    value = big ? (word[at] << 8) | word[at + 1] : word[at + 2] | (word[at + 3] << 8);
  }
  return payloadLength('BDW', value, options, minBlockData, 0x7fffffff);
}

/** Writes an RDW announcing `length` bytes of record data. Returns an error detail when it cannot. */
export function writeRdw(out: Uint8Array, at: number, length: number, options: ResolvedDescriptorWord): string | undefined {
  const value = length + (options.includesHeader ? DESCRIPTOR_WORD_LENGTH : 0) - options.adjustment;
  if (value < 0 || value > 0xffff) return `record of ${length} bytes gives an RDW length of ${value}, outside 0-65535`;
  if (options.byteOrder === 'big') {
    out[at] = value >>> 8;
    out[at + 1] = value & 0xff;
    out[at + 2] = 0;
    out[at + 3] = 0;
  } else {
    out[at] = 0;
    out[at + 1] = 0;
    out[at + 2] = value & 0xff;
    out[at + 3] = value >>> 8;
  }
  return undefined;
}

/** Writes a BDW announcing `length` bytes of block data (extended form above 0x7FFF). */
export function writeBdw(out: Uint8Array, at: number, length: number, options: ResolvedDescriptorWord): string | undefined {
  const value = length + (options.includesHeader ? DESCRIPTOR_WORD_LENGTH : 0) - options.adjustment;
  if (value < 0 || value > 0x7fffffff) return `block of ${length} bytes gives a BDW length of ${value}, outside 0-2147483647`;
  const extended = value > 0x7fff;
  const bytes = extended
    ? [0x80 | Math.floor(value / 0x1000000), (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]
    : [value >>> 8, value & 0xff, 0, 0];
  if (options.byteOrder === 'little') bytes.reverse();
  out.set(bytes, at);
  return undefined;
}

function payloadLength(kind: string, value: number, options: ResolvedDescriptorWord, min: number, max: number): WordReading {
  if (options.includesHeader && value < DESCRIPTOR_WORD_LENGTH) {
    return value === 0 ? fail(`${kind} length is 0`, true) : fail(`${kind} length ${value} is less than the 4-byte ${kind} it includes`);
  }
  const length = value - (options.includesHeader ? DESCRIPTOR_WORD_LENGTH : 0) + options.adjustment;
  if (length === 0) return fail(`${kind} announces no data (length ${value})`, true);
  if (length < 0) return fail(`${kind} length ${value} with adjustment ${options.adjustment} gives ${length}`);
  if (length < min) return fail(`${kind} announces ${length} bytes, less than the ${min} a ${kind === 'BDW' ? 'block' : 'record'} needs`);
  if (length > max) return fail(`${kind} announces ${length} bytes, more than the maximum ${max}`);
  return { ok: true, length };
}

function fail(detail: string, zero = false): WordReading {
  return { ok: false, zero, detail };
}
