/**
 * The compiled shape of a COBOL copybook: the contract between the copybook parser
 * (src/codec/copybook/) and the decoder/encoder compilers (src/codec/compile/).
 *
 * Offsets are 0-based byte offsets from the start of the record, computed the way IBM Enterprise
 * COBOL lays storage out: a table (OCCURS) reserves its maximum size, REDEFINES share the offset of
 * the item they redefine, SYNC aligns binary items when the dialect asks for it. When a record has
 * OCCURS DEPENDING ON, `offset` is the position with every table at its maximum; the decoder
 * recomputes positions of the items that follow a variable table when the record's options say the
 * table is physically variable (Cobrix `variable_size_occurs`).
 *
 * Numbers: value = unscaled integer x 10^-scale. `PIC S9(5)V99` -> digits 7, scale 2;
 * `PIC 9(3)PPP` -> digits 3, scale -3; `PIC PPP999` -> digits 3, scale 6.
 */

export type Endianness = 'big' | 'little';

export interface CopybookLayout {
  /** Where the copybook came from (for error messages). */
  readonly source: string;
  /** sha256 of the normalised copybook text: the cache key for compiled codecs. */
  readonly hash: string;
  /** 01-level (or 77-level) records. Several 01 records share offset 0 (they redefine each other). */
  readonly records: readonly RecordLayout[];
}

export interface RecordLayout {
  readonly name: string;
  /** Maximum record length in bytes (every table at its maximum, longest REDEFINES branch). */
  readonly length: number;
  /** The 01 item itself as a group (or an elementary 01). */
  readonly root: Field;
  /** 66-level RENAMES declared for this record. */
  readonly renames: readonly RenamesClause[];
}

export type Field = GroupField | ElementaryField;

export interface FieldBase {
  /** Name as written in the copybook (upper case kept), `FILLER` for fillers. */
  readonly name: string;
  /** Dotted path of names from the 01 level, e.g. `COMPANY-DETAILS.STATIC-DETAILS.ADDRESS`. */
  readonly path: string;
  readonly level: number;
  /** 0-based offset of the first (or only) occurrence. */
  readonly offset: number;
  /** Bytes of ONE occurrence (for a group, the sum of its children with REDEFINES overlaid). */
  readonly length: number;
  readonly occurs?: Occurs;
  /** Name (path) of the item this one redefines. */
  readonly redefines?: string;
  /** Set on an item that is redefined by later siblings: the paths of those siblings. */
  readonly redefinedBy?: readonly string[];
  readonly isFiller: boolean;
  /** 88-level condition names attached to this item. */
  readonly conditions?: readonly ConditionName[];
  /** Source position of the item's level number, for error messages. */
  readonly line: number;
  readonly column: number;
}

export interface GroupField extends FieldBase {
  readonly kind: 'group';
  readonly children: readonly Field[];
  /** USAGE declared on the group (inherited by children, already applied to them). */
  readonly usage?: Usage;
}

export interface Occurs {
  readonly min: number;
  readonly max: number;
  /** Path of the counter item for OCCURS m TO n DEPENDING ON. */
  readonly dependingOn?: string;
  readonly indexedBy?: readonly string[];
  readonly keys?: ReadonlyArray<{ readonly order: 'ascending' | 'descending'; readonly fields: readonly string[] }>;
}

export interface ConditionName {
  readonly name: string;
  /** Each entry a single value or a THRU range; numbers kept as decimal strings. */
  readonly values: ReadonlyArray<string | { readonly from: string; readonly to: string }>;
}

export interface RenamesClause {
  readonly name: string;
  readonly from: string;
  readonly thru?: string;
  /** Resolved byte range. */
  readonly offset: number;
  readonly length: number;
}

/** USAGE as declared (COMP, COMP-4 and BINARY are the same thing and normalise to 'binary'). */
export type Usage = 'display' | 'binary' | 'comp-5' | 'packed' | 'comp-1' | 'comp-2' | 'national' | 'display-1' | 'index' | 'pointer';

export type ElementaryField =
  | AlphanumericField
  | NationalField
  | DbcsField
  | ZonedDecimalField
  | PackedDecimalField
  | BinaryField
  | FloatField
  | NumericEditedField
  | AlphanumericEditedField;

export interface ElementaryBase extends FieldBase {
  /** The PICTURE string as written (normalised to upper case), absent for COMP-1/COMP-2/INDEX. */
  readonly picture?: string;
  /** VALUE clause literal, if any (kept for documentation and for encoders filling FILLER). */
  readonly value?: string;
  /**
   * What kind of literal `value` is: quoted text, a number, X'..' hex (then `value` is the hex
   * digits), N'..' national, or a figurative constant (then `value` is its singular keyword:
   * ZERO, SPACE, HIGH-VALUE, LOW-VALUE, QUOTE, NULL). Added by the parser; absent without VALUE.
   */
  readonly valueKind?: 'alphanumeric' | 'numeric' | 'hex' | 'national' | 'figurative';
  /** VALUE ALL literal: the literal repeats to fill the item. */
  readonly valueAll?: boolean;
  /** USAGE after group inheritance (COMP/COMP-4/BINARY -> 'binary'). Added by the parser. */
  readonly usage?: Usage;
  readonly blankWhenZero?: boolean;
  readonly justifiedRight?: boolean;
  readonly sync?: boolean;
  /** Per-field code page override (set from a mapping, not from the copybook). */
  readonly codePage?: string;
}

export interface NumericShape {
  /** Number of digit positions (9s, and P positions are NOT counted). */
  readonly digits: number;
  /** value = unscaled x 10^-scale (see file header). */
  readonly scale: number;
  readonly signed: boolean;
}

/** PIC X / A: text in the record's (or field's) single-byte code page. */
export interface AlphanumericField extends ElementaryBase {
  readonly kind: 'alphanumeric';
  /** 'X' for alphanumeric, 'A' for alphabetic. */
  readonly category: 'X' | 'A';
}

/** PIC N USAGE NATIONAL: UTF-16 (big-endian on z/OS), 2 bytes a character. */
export interface NationalField extends ElementaryBase {
  readonly kind: 'national';
  readonly characters: number;
}

/** PIC G / N USAGE DISPLAY-1: DBCS graphic data, 2 bytes a character, no SO/SI inside the field. */
export interface DbcsField extends ElementaryBase {
  readonly kind: 'dbcs';
  readonly characters: number;
}

/** USAGE DISPLAY numeric: one digit a byte, sign overpunched or separate. */
export interface ZonedDecimalField extends ElementaryBase, NumericShape {
  readonly kind: 'zoned';
  /** Where the sign is: trailing overpunch is IBM's default. */
  readonly signPosition: 'leading' | 'trailing';
  readonly signSeparate: boolean;
}

/** COMP-3 / PACKED-DECIMAL: two digits a byte, sign in the last nibble. length = floor(digits/2)+1. */
export interface PackedDecimalField extends ElementaryBase, NumericShape {
  readonly kind: 'packed';
  /** Cobrix COMP-3U extension: no sign nibble, length = ceil(digits/2). */
  readonly unsignedNoNibble?: boolean;
}

/**
 * COMP / COMP-4 / BINARY / COMP-5: two's complement integer of 2, 4 or 8 bytes (1 with some dialects).
 * Pictures of more than 18 digits (beyond IBM's limit) follow Cobrix: ceil((digits*log2(10)+1)/8)
 * bytes, e.g. 9(19) -> 9, 9(37) -> 16; so `bytes` may exceed 8 (then equal to `length`).
 */
export interface BinaryField extends ElementaryBase, NumericShape {
  readonly kind: 'binary';
  readonly bytes: number;
  /** COMP-5: the value may use the full binary range, not only the PICTURE's digits. */
  readonly native: boolean;
  readonly endianness: Endianness;
}

/** COMP-1 (4 bytes) / COMP-2 (8 bytes). IBM hexadecimal floating point on z/OS. */
export interface FloatField extends ElementaryBase {
  readonly kind: 'float';
  readonly bytes: 4 | 8;
  readonly format: 'ibm-hex' | 'ieee754';
  readonly endianness: Endianness;
}

/**
 * Numeric-edited DISPLAY items (Z, *, +, -, CR, DB, B, 0, /, ',', '.', $) and explicit-decimal
 * pictures such as `9(6).99`. Decoded back to a number by stripping editing symbols.
 */
export interface NumericEditedField extends ElementaryBase, NumericShape {
  readonly kind: 'numeric-edited';
  readonly picture: string;
  /** DECIMAL-POINT IS COMMA swaps the roles of '.' and ','. */
  readonly decimalPointIsComma: boolean;
}

/** Alphanumeric-edited pictures (X with B, 0 or /): decoded as text. */
export interface AlphanumericEditedField extends ElementaryBase {
  readonly kind: 'alphanumeric-edited';
  readonly picture: string;
}

export function isGroup(field: Field): field is GroupField {
  return field.kind === 'group';
}

/** Every field of a record in storage order, groups before their children. */
export function* walkFields(field: Field): Generator<Field> {
  yield field;
  if (field.kind === 'group') for (const child of field.children) yield* walkFields(child);
}
