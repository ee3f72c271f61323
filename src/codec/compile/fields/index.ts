/**
 * Builds the codec of one elementary field: the type's own codec (text, zoned, packed, binary,
 * float, edited) wrapped with the record-level checks every field shares: the short-record check
 * and the on-error policy ('fail' rethrows, 'flag' nulls the field and records the error,
 * 'lenient' nulls it silently, for REDEFINES views that need not parse).
 */
import type { ElementaryField, Field } from '../../layout.ts';
import { CodecCompileErrors, DecodeError } from '../../errors.ts';
import type { ResolvedOptions } from '../options.ts';
import type { CodePage } from '../types.ts';
import { decodeFailure, type LeafCodec } from './leaf.ts';
import { alphanumericCodec, dbcsCodec, nationalCodec } from './text.ts';
import { zonedCodec } from './zoned.ts';
import { packedCodec } from './packed.ts';
import { binaryCodec } from './binary.ts';
import { floatCodec } from './float.ts';
import { editedCodec } from './edited.ts';

/** A field codec with the policy applied; `fast` skips the length check for callers that made it. */
export interface PolicyLeaf extends LeafCodec {
  readonly fast: LeafCodec['decode'];
}

/** The field's codec with the short-record check and error policy applied; `fast` skips the
 * check for callers that already know the bytes are there. */
export function createLeaf(field: ElementaryField, options: ResolvedOptions, lenient: boolean): PolicyLeaf {
  const base = baseLeaf(field, options);
  const size = base.size;
  const path = field.path;
  const shortNull = options.shortRecord === 'null';
  const partialText = !base.numeric;
  const inner = base.decode;
  const checked: LeafCodec['decode'] = (bytes, pos, ctx) => {
    if (pos + size <= ctx.end) return inner(bytes, pos, ctx);
    if (shortNull) return partialText && pos < ctx.end ? inner(bytes, pos, ctx) : null;
    throw decodeFailure('BANYAN_ERR_DECODE_SHORT_RECORD', path, bytes, pos, Math.max(0, ctx.end - pos), ctx, `needs ${size} bytes, ${Math.max(0, ctx.end - pos)} left`);
  };
  const policy = lenient ? 'lenient' : options.onError === 'null' ? 'flag' : 'fail';
  return { size, numeric: base.numeric, decode: withPolicy(checked, policy), fast: withPolicy(inner, policy), encode: base.encode };
}

function baseLeaf(field: ElementaryField, options: ResolvedOptions): LeafCodec {
  switch (field.kind) {
    case 'alphanumeric':
    case 'alphanumeric-edited':
      return alphanumericCodec(field, codePageFor(field, options), options);
    case 'national':
      return nationalCodec(field, options);
    case 'dbcs':
      if (!options.dbcsCodePage) throw new CodecCompileErrors.BANYAN_ERR_CODEC_UNSUPPORTED(field.path, 'PIC G / DISPLAY-1 needs the dbcsCodePage option');
      return dbcsCodec(field, options.dbcsCodePage, options);
    case 'zoned':
      return zonedCodec(field, options, codePageFor(field, options));
    case 'packed':
      return packedCodec(field, options);
    case 'binary':
      return binaryCodec(field, options);
    case 'float':
      return floatCodec(field, options);
    case 'numeric-edited':
      return editedCodec(field, options, codePageFor(field, options));
    default: {
      const never: never = field;
      throw new CodecCompileErrors.BANYAN_ERR_CODEC_UNSUPPORTED((never as Field).path, `unknown field kind ${(never as Field).kind}`);
    }
  }
}

export function codePageFor(field: ElementaryField, options: ResolvedOptions): CodePage {
  return field.codePage ? options.resolveCodePage(field.codePage) : options.codePage;
}

/** Applies the on-error policy: 'fail' rethrows, 'flag' nulls and records, 'lenient' nulls silently. */
function withPolicy(decode: LeafCodec['decode'], policy: 'fail' | 'flag' | 'lenient'): LeafCodec['decode'] {
  if (policy === 'fail') return decode;
  if (policy === 'lenient') {
    return (bytes, pos, ctx) => {
      try {
        return decode(bytes, pos, ctx);
      } catch (err) {
        if (err instanceof DecodeError) return null;
        throw err;
      }
    };
  }
  return (bytes, pos, ctx) => {
    try {
      return decode(bytes, pos, ctx);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      ctx.errors.push(err);
      return null;
    }
  };
}
