/**
 * Parser options: the source format and the dialect facts that change storage layout. Defaults
 * follow IBM Enterprise COBOL for z/OS, which is what produced the bytes a mainframe team sends us.
 */
import type { Endianness } from '../layout.ts';

export interface ParseOptions {
  /** Name used in error messages and in `CopybookLayout.source` (a file path for loadCopybook). */
  readonly source?: string;
  /**
   * 'fixed': columns 1-6 sequence, 7 indicator, 8-72 code, 73-80 ignored (IBM reference format).
   * 'free': the whole line is code, `*>` starts a comment. 'auto' (default) picks free format when a
   * line starts a level number inside columns 1-6, fixed otherwise.
   */
  readonly format?: 'fixed' | 'free' | 'auto';
  /** Keep lines with `D` in the indicator column (WITH DEBUGGING MODE). Default false: skipped. */
  readonly debugLines?: boolean;
  /** Directories searched for COPY members (after the directory of the including file). */
  readonly copybookDir?: string | readonly string[];
  /**
   * Binary (COMP/COMP-4/BINARY/COMP-5) sizes. 'ibm' (default): 1-4 digits 2 bytes, 5-9 4, 10-18 8.
   * 'one-byte': also 1-2 digits in 1 byte (Micro Focus / GnuCOBOL binary-size 1-2-4-8 dialects).
   */
  readonly binarySizes?: 'ibm' | 'one-byte';
  /** Byte order of binary items. z/OS is big-endian (default); 'little' for x86 COBOL dialects. */
  readonly binaryEndianness?: Endianness;
  /** COMP-1/COMP-2 encoding: IBM hexadecimal floating point on z/OS (default) or IEEE 754. */
  readonly floatFormat?: 'ibm-hex' | 'ieee754';
  readonly floatEndianness?: Endianness;
  /**
   * Insert slack bytes before SYNCHRONIZED items the way IBM Enterprise COBOL does (binary 1-4 digits
   * on a halfword, 5-18 digits, COMP-1, INDEX, POINTER on a fullword, COMP-2 on a doubleword).
   * Default false, like Cobrix, which ignores SYNC.
   */
  readonly alignSync?: boolean;
  /** SPECIAL-NAMES. DECIMAL-POINT IS COMMA: ',' is the decimal point in edited pictures. */
  readonly decimalPointIsComma?: boolean;
  /** Name of the record made when a copybook has no 01 level (a fragment of 05 items). */
  readonly defaultRecordName?: string;
}

export interface ResolvedParseOptions {
  readonly source: string;
  readonly format: 'fixed' | 'free' | 'auto';
  readonly debugLines: boolean;
  readonly copybookDirs: readonly string[];
  readonly binarySizes: 'ibm' | 'one-byte';
  readonly binaryEndianness: Endianness;
  readonly floatFormat: 'ibm-hex' | 'ieee754';
  readonly floatEndianness: Endianness;
  readonly alignSync: boolean;
  readonly decimalPointIsComma: boolean;
  readonly defaultRecordName: string;
}

export function resolveParseOptions(options: ParseOptions = {}): ResolvedParseOptions {
  const dirs = options.copybookDir === undefined ? [] : typeof options.copybookDir === 'string' ? [options.copybookDir] : [...options.copybookDir];
  return Object.freeze({
    source: options.source ?? '<copybook>',
    format: options.format ?? 'auto',
    debugLines: options.debugLines ?? false,
    copybookDirs: dirs,
    binarySizes: options.binarySizes ?? 'ibm',
    binaryEndianness: options.binaryEndianness ?? 'big',
    floatFormat: options.floatFormat ?? 'ibm-hex',
    floatEndianness: options.floatEndianness ?? 'big',
    alignSync: options.alignSync ?? false,
    decimalPointIsComma: options.decimalPointIsComma ?? false,
    defaultRecordName: options.defaultRecordName ?? 'RECORD',
  });
}

/**
 * The options that change the layout, as text appended to the hashed source when they differ from
 * the defaults, so two layouts of the same text under different dialects never share a cache entry.
 */
export function layoutAffectingOptions(o: ResolvedParseOptions): string {
  const parts: string[] = [];
  if (o.binarySizes !== 'ibm') parts.push(`binarySizes=${o.binarySizes}`);
  if (o.binaryEndianness !== 'big') parts.push(`binaryEndianness=${o.binaryEndianness}`);
  if (o.floatFormat !== 'ibm-hex') parts.push(`floatFormat=${o.floatFormat}`);
  if (o.floatEndianness !== 'big') parts.push(`floatEndianness=${o.floatEndianness}`);
  if (o.alignSync) parts.push('alignSync');
  if (o.decimalPointIsComma) parts.push('decimalPointIsComma');
  if (o.debugLines) parts.push('debugLines');
  return parts.join(';');
}
