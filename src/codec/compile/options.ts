/**
 * Codec options: what a mapping may change about how a layout's bytes become values. Validated
 * eagerly and frozen (pino / fastify habit): a bad option throws at compile time, never per record.
 *
 * Defaults follow Cobrix where it has an equivalent option (`string_trimming_policy` both,
 * `floating_point_format` IBM, `variable_size_occurs` false, fillers dropped) and the Banyan design
 * where it differs (decimals as exact strings; errors fail the record instead of a silent null).
 */
import type { Endianness } from '../layout.ts';
import { CodecCompileErrors } from '../errors.ts';
import { dbcsCodePageNames, getCodePage, getDbcsCodePage } from '../codepages/index.ts';
import type { CodePage, DbcsCodePage } from './types.ts';

export type StringTrimming = 'both' | 'none' | 'left' | 'right' | 'keep_all';

export interface RedefinesRule {
  /** Any item of the REDEFINES cluster (the redefined item or a redefining one), by path or name. */
  readonly redefines: string;
  /** The field whose value picks the branch, by path or name. */
  readonly selector: string;
  /** Selector value (trimmed text, or the number as text) -> name of the branch to decode. */
  readonly when: Readonly<Record<string, string>>;
  /** Branch when no `when` entry matches: a branch name, 'all' (decode every branch) or 'none'. */
  readonly otherwise?: string;
}

export interface CodecOptions {
  /** Code page of text and DISPLAY numerics; default cp037 (src/codec/codepages). */
  readonly codePage?: CodePage;
  /** Resolves per-field `codePage` overrides; default getCodePage of src/codec/codepages. */
  readonly resolveCodePage?: (name: string) => CodePage;
  /**
   * For PIC G / DISPLAY-1 fields: a DBCS page or its name (`cp300`, `cp834`, or a mixed page such
   * as `cp930` for its double-byte side). Default: the double-byte side of `codePage` when it is a
   * mixed page; a layout with DBCS fields and no such page does not compile.
   */
  readonly dbcsCodePage?: DbcsCodePage | string;
  /** COMP-1/COMP-2 format; default: as the layout says (IBM hexadecimal float on z/OS). */
  readonly floatFormat?: 'ibm-hex' | 'ieee754';
  readonly floatEndianness?: Endianness;
  /** COMP/COMP-4/BINARY/COMP-5 byte order; default: as the layout says (big-endian on z/OS). */
  readonly binaryEndianness?: Endianness;
  /** Default 'both' (trim characters <= U+0020 like Java's String.trim, as Cobrix does). */
  readonly stringTrimming?: StringTrimming;
  /**
   * 'null' (default): a numeric field of all spaces decodes to null; so do all low-values for
   * DISPLAY and packed fields (binary and float zero bytes are the legitimate value 0).
   * 'strict': no special case; such bytes decode by the type's own rules or fail.
   */
  readonly blankNumbers?: 'null' | 'strict';
  /** Integers (scale 0): 'number' (default) when the field's range fits 2^53, else a decimal string. */
  readonly integers?: 'number' | 'string';
  /** Scaled decimals: 'string' (default, exact) or 'number' for fields of at most 15 digits. */
  readonly decimals?: 'string' | 'number';
  /** REDEFINES: every branch is decoded unless a rule chooses one. */
  readonly redefines?: readonly RedefinesRule[];
  /** Cobrix `variable_size_occurs`: items after an OCCURS DEPENDING ON table move with its count. */
  readonly variableSizeOccurs?: boolean;
  /**
   * Cobrix `occurs_mappings`: for a table (by name or path) whose DEPENDING ON item is text, the
   * element count for each counter value, e.g. `{ DETAIL1: { A: 0, B: 1 } }`.
   */
  readonly occursMappings?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** FILLER items: dropped (default) or kept as FILLER_Pn (elementary) and FILLER_n (groups), as Cobrix names them. */
  readonly fillers?: 'drop' | 'keep';
  /** A field that breaks a rule: fail the record (default) or null the field and list the error. */
  readonly onError?: 'fail' | 'null';
  /** Fields past the end of a short record: error (default) or null (text keeps the bytes present). */
  readonly shortRecord?: 'error' | 'null';
  /** Encoding a number with too many digits: error (default) or COBOL MOVE truncation of high-order digits. */
  readonly onOverflow?: 'error' | 'truncate';
}

export interface ResolvedOptions {
  readonly codePage: CodePage;
  readonly resolveCodePage: (name: string) => CodePage;
  readonly dbcsCodePage: DbcsCodePage | undefined;
  readonly floatFormat: 'ibm-hex' | 'ieee754' | undefined;
  readonly floatEndianness: Endianness | undefined;
  readonly binaryEndianness: Endianness | undefined;
  readonly stringTrimming: StringTrimming;
  readonly blankNumbers: 'null' | 'strict';
  readonly integers: 'number' | 'string';
  readonly decimals: 'string' | 'number';
  readonly redefines: readonly RedefinesRule[];
  readonly variableSizeOccurs: boolean;
  readonly occursMappings: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly fillers: 'drop' | 'keep';
  readonly onError: 'fail' | 'null';
  readonly shortRecord: 'error' | 'null';
  readonly onOverflow: 'error' | 'truncate';
  /** True when the code page is ASCII-based (space 0x20): zoned digits are 0x30-0x39. */
  readonly ascii: boolean;
}

export function resolveOptions(options: CodecOptions = {}): ResolvedOptions {
  const resolveCodePage = options.resolveCodePage ?? getCodePage;
  const codePage = options.codePage ?? resolveCodePage('cp037');
  oneOf('floatFormat', options.floatFormat, ['ibm-hex', 'ieee754']);
  oneOf('floatEndianness', options.floatEndianness, ['big', 'little']);
  oneOf('binaryEndianness', options.binaryEndianness, ['big', 'little']);
  oneOf('stringTrimming', options.stringTrimming, ['both', 'none', 'left', 'right', 'keep_all']);
  oneOf('blankNumbers', options.blankNumbers, ['null', 'strict']);
  oneOf('integers', options.integers, ['number', 'string']);
  oneOf('decimals', options.decimals, ['string', 'number']);
  oneOf('fillers', options.fillers, ['drop', 'keep']);
  oneOf('onError', options.onError, ['fail', 'null']);
  oneOf('shortRecord', options.shortRecord, ['error', 'null']);
  oneOf('onOverflow', options.onOverflow, ['error', 'truncate']);
  for (const [table, map] of Object.entries(options.occursMappings ?? {})) {
    for (const [value, count] of Object.entries(map ?? {})) {
      if (!Number.isInteger(count) || count < 0) {
        throw new CodecCompileErrors.BANYAN_ERR_CODEC_OPTION(`occursMappings.${table}.${value}`, 'counts are non-negative integers');
      }
    }
  }
  for (const rule of options.redefines ?? []) {
    if (!rule.redefines || !rule.selector || typeof rule.when !== 'object') {
      throw new CodecCompileErrors.BANYAN_ERR_CODEC_OPTION('redefines', 'each rule needs redefines, selector and when');
    }
  }
  return Object.freeze({
    codePage,
    resolveCodePage,
    dbcsCodePage: resolveDbcs(options.dbcsCodePage, codePage),
    floatFormat: options.floatFormat,
    floatEndianness: options.floatEndianness,
    binaryEndianness: options.binaryEndianness,
    stringTrimming: options.stringTrimming ?? 'both',
    blankNumbers: options.blankNumbers ?? 'null',
    integers: options.integers ?? 'number',
    decimals: options.decimals ?? 'string',
    redefines: Object.freeze([...(options.redefines ?? [])]),
    variableSizeOccurs: options.variableSizeOccurs ?? false,
    occursMappings: options.occursMappings ?? {},
    fillers: options.fillers ?? 'drop',
    onError: options.onError ?? 'fail',
    shortRecord: options.shortRecord ?? 'error',
    onOverflow: options.onOverflow ?? 'error',
    ascii: codePage.spaceByte === 0x20,
  });
}

function resolveDbcs(given: DbcsCodePage | string | undefined, codePage: CodePage): DbcsCodePage | undefined {
  if (typeof given === 'string') return getDbcsCodePage(given);
  if (given) return given;
  // A mixed SO/SI page (cp930...) has a double-byte side; otherwise PIC G fields ask for the option.
  return dbcsCodePageNames().includes(codePage.name) ? getDbcsCodePage(codePage.name) : undefined;
}

/** A stable cache key for the options (functions and code pages by identity/name). */
export function optionsKey(options: ResolvedOptions): string {
  return JSON.stringify(options, (key, value: unknown) => {
    if (typeof value === 'function') return `fn#${functionId(value)}`;
    if ((key === 'codePage' || key === 'dbcsCodePage') && value && typeof value === 'object') {
      return `cp#${(value as { name: string }).name}#${objectId(value)}`;
    }
    return value;
  });
}

function oneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new CodecCompileErrors.BANYAN_ERR_CODEC_OPTION(name, `expected one of ${allowed.join(', ')}, got ${String(value)}`);
  }
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function objectId(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}
function functionId(value: unknown): number {
  return objectId(value as object);
}
