/**
 * Record formats (IBM z/OS DFSMS "Record formats": F, FB, V, VB) and how Banyan is told which one a
 * file or message uses. `resolveFraming` validates options eagerly (pino style) and returns a frozen,
 * fully defaulted value the reader and writer use.
 *
 * Defaults follow IBM, not Cobrix: RDW/BDW lengths are big-endian and COUNT the 4-byte header
 * (z/OS: "LL ... includes the 4 bytes of the RDW"). Cobrix's own test files carry lengths that exclude
 * the header (its `is_rdw_part_of_record_length` defaults to false): use `includesHeader: false` there.
 */
import type { FramingError } from './errors.ts';
import { FramingOptionErrors } from './errors.ts';

/** A 4-byte RDW or BDW: `LL LL 00 00` on z/OS. */
export interface DescriptorWordOptions {
  /**
   * 'big' (z/OS, default): length in bytes 0-1, bytes 2-3 zero. 'little': the whole word byte-reversed
   * (`00 00 LL LL`, length little-endian in bytes 2-3), as files written on x86 carry it (Cobrix test 4).
   */
  readonly byteOrder?: 'big' | 'little';
  /** The length counts the 4-byte word itself (IBM, default true). */
  readonly includesHeader?: boolean;
  /** Added to the length after `includesHeader` is applied (Cobrix `rdw_adjustment` / `bdw_adjustment`). */
  readonly adjustment?: number;
}

export interface CommonFramingOptions {
  /** Bytes of file header to skip before the first record (Cobrix `file_start_offset`). */
  readonly fileStartOffset?: number;
  /** Bytes of file trailer to ignore after the last record (Cobrix `file_end_offset`). */
  readonly fileEndOffset?: number;
  /**
   * 'stop' (default): the first framing error is thrown after every record before it was delivered.
   * 'resync': the error goes to `onFramingError` and reading continues at the next plausible boundary
   * (V: next plausible RDW; VB: next block or next plausible BDW; zero-length record: the next
   * record; truncated last record: dropped; a bad length field: reading ends, as nothing tells where
   * the next record starts).
   */
  readonly onError?: 'stop' | 'resync';
  /** Receives each error in 'resync' mode (required then, so no error is lost). */
  readonly onFramingError?: (error: FramingError) => void;
  /** Longest record accepted; longer claims are framing errors, which keeps buffering bounded. */
  readonly maxRecordLength?: number;
}

/** F: every record `recordLength` bytes, back to back. */
export interface FixedFraming extends CommonFramingOptions {
  readonly format: 'F';
  readonly recordLength: number;
}

/**
 * FB: fixed records grouped in blocks. Without block options it is read exactly like F. With
 * `blockLength` or `recordsPerBlock` every block has that size (the last may be short) and bytes after
 * the last whole record of a block are padding. With `bdw`, each block starts with a BDW.
 */
export interface FixedBlockedFraming extends CommonFramingOptions {
  readonly format: 'FB';
  readonly recordLength: number;
  readonly blockLength?: number;
  readonly recordsPerBlock?: number;
  readonly bdw?: DescriptorWordOptions;
}

/** V: each record preceded by an RDW. */
export interface VariableFraming extends CommonFramingOptions {
  readonly format: 'V';
  readonly rdw?: DescriptorWordOptions;
}

/** VB: blocks each preceded by a BDW, holding records each preceded by an RDW. */
export interface VariableBlockedFraming extends CommonFramingOptions {
  readonly format: 'VB';
  readonly rdw?: DescriptorWordOptions;
  readonly bdw?: DescriptorWordOptions;
  /** Largest block the writer makes, BDW included (default 32760, the z/OS BLKSIZE limit without LBI). */
  readonly blockLength?: number;
}

/**
 * Record length taken from a field of the record itself (Cobrix `record_length_field`): the reader
 * hands the first `bytesNeeded` bytes of each record to `recordLength`, which returns the whole
 * record's length in bytes (those bytes included); `adjustment` is added to it.
 */
export interface LengthFieldFraming extends CommonFramingOptions {
  readonly format: 'length-field';
  readonly bytesNeeded: number;
  readonly recordLength: (prefix: Uint8Array) => number;
  readonly adjustment?: number;
}

export type FramingOptions = FixedFraming | FixedBlockedFraming | VariableFraming | VariableBlockedFraming | LengthFieldFraming;

export type RecordFormat = FramingOptions['format'];

export interface ResolvedDescriptorWord {
  readonly byteOrder: 'big' | 'little';
  readonly includesHeader: boolean;
  readonly adjustment: number;
}

export interface ResolvedFraming {
  readonly format: RecordFormat;
  readonly fileStartOffset: number;
  readonly fileEndOffset: number;
  readonly onError: 'stop' | 'resync';
  readonly onFramingError: ((error: FramingError) => void) | undefined;
  readonly maxRecordLength: number;
  /** F, FB: record length. */
  readonly recordLength: number;
  /** FB: fixed block size in bytes (0: none); VB: largest block the writer makes. */
  readonly blockLength: number;
  readonly rdw: ResolvedDescriptorWord | undefined;
  readonly bdw: ResolvedDescriptorWord | undefined;
  readonly bytesNeeded: number;
  readonly lengthOf: ((prefix: Uint8Array) => number) | undefined;
  readonly lengthAdjustment: number;
}

/** The z/OS limit for a block without the large block interface, and the writer's default VB block. */
export const MAX_BLOCK_WITHOUT_LBI = 32760;
/** An RDW's length field is 16 bits. */
const MAX_RDW_VALUE = 0xffff;
const DEFAULT_MAX_LENGTH_FIELD_RECORD = 16 * 1024 * 1024;

export function resolveFraming(options: FramingOptions): ResolvedFraming {
  const bad = (option: string, why: string) => new FramingOptionErrors.BANYAN_ERR_FRAMING_OPTION(option, why);
  const count = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v < min) throw bad(name, `must be an integer >= ${min}, got ${String(value)}`);
    return v;
  };
  const onError = options.onError ?? 'stop';
  if (onError !== 'stop' && onError !== 'resync') throw bad('onError', `must be 'stop' or 'resync', got ${String(onError)}`);
  if (onError === 'resync' && typeof options.onFramingError !== 'function') {
    throw bad('onFramingError', "is required with onError: 'resync' so that no framing error is lost");
  }
  const base = {
    format: options.format,
    fileStartOffset: count('fileStartOffset', options.fileStartOffset, 0, 0),
    fileEndOffset: count('fileEndOffset', options.fileEndOffset, 0, 0),
    onError,
    onFramingError: options.onFramingError,
    recordLength: 0,
    blockLength: 0,
    rdw: undefined,
    bdw: undefined,
    bytesNeeded: 0,
    lengthOf: undefined,
    lengthAdjustment: 0,
  };
  switch (options.format) {
    case 'F':
    case 'FB': {
      const recordLength = count('recordLength', options.recordLength, NaN, 1);
      let blockLength = 0;
      let bdw: ResolvedDescriptorWord | undefined;
      if (options.format === 'FB') {
        if (options.blockLength !== undefined && options.recordsPerBlock !== undefined) {
          throw bad('blockLength', 'give either blockLength or recordsPerBlock, not both');
        }
        if (options.blockLength !== undefined) blockLength = count('blockLength', options.blockLength, 0, recordLength);
        if (options.recordsPerBlock !== undefined) blockLength = count('recordsPerBlock', options.recordsPerBlock, 0, 1) * recordLength;
        if (options.bdw !== undefined) {
          if (blockLength > 0) throw bad('bdw', 'blocks with a BDW take their length from it; drop blockLength/recordsPerBlock');
          bdw = descriptorWord('bdw', options.bdw, bad);
        }
      }
      const maxRecordLength = count('maxRecordLength', options.maxRecordLength, recordLength, recordLength);
      return Object.freeze({ ...base, recordLength, blockLength, bdw, maxRecordLength });
    }
    case 'V':
    case 'VB': {
      const rdw = descriptorWord('rdw', options.rdw, bad);
      const maxRecordLength = count('maxRecordLength', options.maxRecordLength, MAX_RDW_VALUE, 1);
      if (options.format === 'V') return Object.freeze({ ...base, rdw, maxRecordLength });
      const bdw = descriptorWord('bdw', options.bdw, bad);
      const blockLength = count('blockLength', options.blockLength, MAX_BLOCK_WITHOUT_LBI, 9);
      if (blockLength > 0x7fffffff) throw bad('blockLength', 'must fit a 31-bit extended BDW');
      return Object.freeze({ ...base, rdw, bdw, blockLength, maxRecordLength });
    }
    case 'length-field': {
      const bytesNeeded = count('bytesNeeded', options.bytesNeeded, NaN, 1);
      if (typeof options.recordLength !== 'function') throw bad('recordLength', 'must be a function (prefix: Uint8Array) => number');
      const maxRecordLength = count('maxRecordLength', options.maxRecordLength, DEFAULT_MAX_LENGTH_FIELD_RECORD, bytesNeeded);
      const adjustment = options.adjustment ?? 0;
      if (!Number.isSafeInteger(adjustment)) throw bad('adjustment', `must be an integer, got ${String(adjustment)}`);
      return Object.freeze({ ...base, bytesNeeded, lengthOf: options.recordLength, lengthAdjustment: adjustment, maxRecordLength });
    }
    default: {
      const format: unknown = (options as { format?: unknown }).format;
      throw bad('format', `must be F, FB, V, VB or length-field, got ${String(format)}`);
    }
  }
}

function descriptorWord(
  name: string,
  options: DescriptorWordOptions | undefined,
  bad: (option: string, why: string) => Error,
): ResolvedDescriptorWord {
  const byteOrder = options?.byteOrder ?? 'big';
  if (byteOrder !== 'big' && byteOrder !== 'little') throw bad(`${name}.byteOrder`, `must be 'big' or 'little', got ${String(byteOrder)}`);
  const adjustment = options?.adjustment ?? 0;
  if (!Number.isSafeInteger(adjustment)) throw bad(`${name}.adjustment`, `must be an integer, got ${String(adjustment)}`);
  return Object.freeze({ byteOrder, includesHeader: options?.includesHeader ?? true, adjustment });
}
