/**
 * COMP-1 (4 bytes) and COMP-2 (8 bytes).
 *
 * IBM hexadecimal floating point (z/Architecture Principles of Operation, "Hexadecimal-
 * Floating-Point Number Representation"):
 *   bit 0 sign | bits 1-7 characteristic (exponent of 16, excess 64) | fraction (24 or 56 bits)
 *   value = (-1)^sign x 0.fraction x 16^(characteristic - 64)
 * No NaN or infinity exists in HFP. The IEEE 754 option reads binary32/binary64.
 *
 * Deliberate difference from Cobrix: Cobrix's decodeIbmSingleBigEndian gives 5.045883 for
 * 43 14 2E FC, but by the definition above those bytes are 0x142EFC x 16^(3-6) = 322.93671...,
 * which is also what Cobrix's own double decoder gives for 43 14 2E FC CA F7 09 B7 (322.936717):
 * the short form is the long form's first word. We follow the architecture.
 */
import type { FloatField } from '../../layout.ts';
import { EncodeError } from '../../errors.ts';
import type { ResolvedOptions } from '../options.ts';
import { allBytes, decodeFailure, type DecodeContext, type LeafCodec } from './leaf.ts';

export function floatCodec(field: FloatField, options: ResolvedOptions): LeafCodec {
  const size = field.bytes;
  const path = field.path;
  const format = options.floatFormat ?? field.format;
  const little = (options.floatEndianness ?? field.endianness) === 'little';
  const blankIsNull = options.blankNumbers === 'null';
  const space = options.codePage.spaceByte;
  const scratch = new Uint8Array(8);
  const view = new DataView(scratch.buffer);

  function load(bytes: Uint8Array, pos: number): void {
    for (let i = 0; i < size; i++) scratch[i] = bytes[little ? pos + size - 1 - i : pos + i];
  }

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): number | null {
    if (blankIsNull && bytes[pos] === space && allBytes(bytes, pos, size, space)) return null;
    load(bytes, pos);
    let v: number;
    if (format === 'ieee754') v = size === 4 ? view.getFloat32(0) : view.getFloat64(0);
    else v = decodeIbmHex(scratch, size);
    if (!Number.isFinite(v)) throw decodeFailure('BANYAN_ERR_DECODE_FLOAT', path, bytes, pos, size, ctx);
    return v;
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    if (value === null || value === undefined) {
      if (!blankIsNull) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, 'null needs blankNumbers "null"');
      out.fill(space, pos, pos + size);
      return;
    }
    const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, `got ${String(value)}`);
    if (format === 'ieee754') {
      if (size === 4) {
        if (Math.abs(v) > 3.4028234663852886e38) throw new EncodeError('BANYAN_ERR_ENCODE_FLOAT', path, String(v));
        view.setFloat32(0, v);
      } else view.setFloat64(0, v);
    } else if (!encodeIbmHex(v, scratch, size)) throw new EncodeError('BANYAN_ERR_ENCODE_FLOAT', path, String(v));
    for (let i = 0; i < size; i++) out[little ? pos + size - 1 - i : pos + i] = scratch[i];
    if (blankIsNull && allBytes(out, pos, size, space)) throw new EncodeError('BANYAN_ERR_ENCODE_BLANK', path, String(v));
  }

  return { size, decode, encode, numeric: true };
}

/** Big-endian IBM HFP of 4 or 8 bytes. */
export function decodeIbmHex(b: Uint8Array, size: number): number {
  const sign = b[0] & 0x80 ? -1 : 1;
  const exponent = (b[0] & 0x7f) - 64;
  let fraction = (b[1] << 16) | (b[2] << 8) | b[3];
  let fractionBits = 24;
  if (size === 8) {
    // 56-bit fraction: one rounding to the nearest double, then exact power-of-two scaling.
    fraction = fraction * 4294967296 + (((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0);
    fractionBits = 56;
  }
  if (fraction === 0) return 0;
  return sign * fraction * 2 ** (4 * exponent - fractionBits);
}

/** Writes big-endian IBM HFP; false when the magnitude is outside 16^-65 .. 16^63. */
export function encodeIbmHex(value: number, out: Uint8Array, size: number): boolean {
  out.fill(0, 0, size);
  if (value === 0) return true;
  const sign = value < 0 ? 0x80 : 0;
  const m = Math.abs(value);
  // Find e with 16^(e-1) <= m < 16^e, so 1/16 <= m / 16^e < 1.
  let e = Math.ceil(Math.log2(m) / 4);
  if (m / 2 ** (4 * e) >= 1) e++;
  if (m / 2 ** (4 * e) < 1 / 16) e--;
  const fractionBits = size === 8 ? 56 : 24;
  let fraction = Math.round(m * 2 ** (fractionBits - 4 * e));
  if (fraction >= 2 ** fractionBits) {
    fraction /= 16;
    e++;
  }
  const characteristic = e + 64;
  if (characteristic > 127) return false;
  if (characteristic < 0) return true; // underflow: true zero, as the hardware does
  out[0] = sign | characteristic;
  if (size === 4) {
    out[1] = (fraction >>> 16) & 0xff;
    out[2] = (fraction >>> 8) & 0xff;
    out[3] = fraction & 0xff;
  } else {
    const hi = Math.floor(fraction / 4294967296);
    const lo = fraction - hi * 4294967296;
    out[1] = (hi >>> 16) & 0xff;
    out[2] = (hi >>> 8) & 0xff;
    out[3] = hi & 0xff;
    out[4] = (lo >>> 24) & 0xff;
    out[5] = (lo >>> 16) & 0xff;
    out[6] = (lo >>> 8) & 0xff;
    out[7] = lo & 0xff;
  }
  return true;
}
