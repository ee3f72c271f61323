/**
 * PICTURE + USAGE -> the type-specific part of an elementary layout field and its storage size,
 * following IBM Enterprise COBOL "Data representation" tables:
 *   DISPLAY numeric (zoned)   one byte a digit, +1 with SIGN SEPARATE
 *   COMP-3 / PACKED-DECIMAL   floor(digits / 2) + 1 bytes (Cobrix COMP-3U, no sign nibble: ceil(digits / 2))
 *   COMP / COMP-4 / BINARY / COMP-5   1-4 digits 2 bytes, 5-9 4, 10-18 8 (1-2 digits 1 byte in the
 *                             'one-byte' dialect and for Cobrix's little-endian COMP-9)
 *   COMP-1 4, COMP-2 8, INDEX 4, POINTER 4
 *   NATIONAL (N) and DBCS (G, N DISPLAY-1) two bytes a character
 * Digits exclude P positions (they scale the value but take no storage).
 */
import type { ElementaryField } from '../layout.ts';
import { copybookError, type SourcePosition } from './errors.ts';
import type { RawEntry, RawUsage } from './entries.ts';
import type { ResolvedParseOptions } from './options.ts';
import type { PictureInfo } from './picture.ts';

type Base = 'name' | 'path' | 'level' | 'offset' | 'length' | 'isFiller' | 'line' | 'column' | 'occurs' | 'redefines' | 'redefinedBy' | 'conditions';
type Distribute<T> = T extends unknown ? Omit<T, Base> : never;
/** The kind-specific properties of an elementary field. */
export type ElementaryFieldShape = Distribute<ElementaryField>;

export interface ElementaryShape {
  readonly field: ElementaryFieldShape;
  readonly size: number;
  /** Natural boundary for SYNCHRONIZED (IBM: halfword, fullword, doubleword). */
  readonly alignment: number;
}

export interface ShapeInput {
  readonly usage: RawUsage;
  readonly picture?: PictureInfo;
  readonly pictureText?: string;
  readonly sign?: RawEntry['sign'];
  /** The SIGN clause is on the item itself (not inherited from a group). */
  readonly ownSign: boolean;
  readonly at: SourcePosition & { readonly text?: string };
  readonly usageToken?: SourcePosition & { readonly text: string };
  readonly options: ResolvedParseOptions;
}

export function elementaryShape(input: ShapeInput): ElementaryShape {
  const { usage, picture: pic, options } = input;
  const fail = (detail: string): never => {
    const at = input.usageToken ?? input.at;
    throw copybookError('BANYAN_ERR_COPYBOOK_PICTURE', at, input.usageToken?.text ?? input.pictureText ?? '', detail);
  };
  switch (usage) {
    case 'comp-1':
    case 'comp-2': {
      const bytes = usage === 'comp-1' ? 4 : 8;
      return {
        field: { kind: 'float', bytes, format: options.floatFormat, endianness: options.floatEndianness },
        size: bytes,
        alignment: bytes,
      };
    }
    case 'index':
      return { field: { kind: 'binary', bytes: 4, digits: 9, scale: 0, signed: true, native: true, endianness: options.binaryEndianness }, size: 4, alignment: 4 };
    case 'pointer':
      return { field: { kind: 'binary', bytes: 4, digits: 10, scale: 0, signed: false, native: true, endianness: options.binaryEndianness }, size: 4, alignment: 4 };
    case 'binary':
    case 'comp-5':
    case 'comp-9': {
      if (pic?.category !== 'numeric') fail(`USAGE ${usageName(usage)} needs a numeric PICTURE (9, S, V, P)`);
      const p = pic as Extract<PictureInfo, { category: 'numeric' }>;
      const bytes = binaryBytes(p.digits, usage === 'comp-9' || options.binarySizes === 'one-byte');
      return {
        field: {
          kind: 'binary', bytes, digits: p.digits, scale: p.scale, signed: p.signed, native: usage === 'comp-5',
          // Cobrix COMP-9: little-endian binary whatever the platform.
          endianness: usage === 'comp-9' ? 'little' : options.binaryEndianness,
        },
        size: bytes,
        alignment: bytes <= 2 ? bytes : 4,
      };
    }
    case 'packed':
    case 'packed-unsigned': {
      if (pic?.category !== 'numeric') fail(`USAGE ${usageName(usage)} needs a numeric PICTURE (9, S, V, P)`);
      const p = pic as Extract<PictureInfo, { category: 'numeric' }>;
      if (usage === 'packed-unsigned') {
        const size = Math.ceil(p.digits / 2);
        return { field: { kind: 'packed', digits: p.digits, scale: p.scale, signed: false, unsignedNoNibble: true }, size, alignment: 1 };
      }
      return { field: { kind: 'packed', digits: p.digits, scale: p.scale, signed: p.signed }, size: Math.floor(p.digits / 2) + 1, alignment: 1 };
    }
    case 'national':
      if (pic?.category === 'national') return national(pic.characters);
      return fail(pic?.category === 'numeric' || pic?.category === 'numeric-edited'
        ? 'numeric USAGE NATIONAL items are not supported'
        : 'USAGE NATIONAL needs a PICTURE of N');
    case 'display-1':
      if (pic?.category === 'dbcs' || pic?.category === 'national') {
        const characters = pic.characters;
        return { field: { kind: 'dbcs', characters }, size: characters * 2, alignment: 1 };
      }
      return fail('USAGE DISPLAY-1 needs a PICTURE of G or N');
    case 'display':
      return display(input, fail);
  }
}

function display(input: ShapeInput, fail: (d: string) => never): ElementaryShape {
  const pic = input.picture;
  if (!pic) return fail('elementary item needs a PICTURE');
  switch (pic.category) {
    case 'alphanumeric':
      return { field: { kind: 'alphanumeric', category: pic.letter }, size: pic.size, alignment: 1 };
    case 'alphanumeric-edited':
      return { field: { kind: 'alphanumeric-edited', picture: input.pictureText ?? '' }, size: pic.size, alignment: 1 };
    case 'national':
      // IBM NSYMBOL(NATIONAL), the default: PICTURE N without USAGE means USAGE NATIONAL.
      return national(pic.characters);
    case 'dbcs':
      return { field: { kind: 'dbcs', characters: pic.characters }, size: pic.characters * 2, alignment: 1 };
    case 'numeric': {
      // IBM: the SIGN clause applies to signed items; Cobrix also honours it on an unsigned PICTURE
      // written with its own SIGN ... SEPARATE (the separate sign byte is then present).
      const sign = input.sign && (pic.signed || input.ownSign) ? input.sign : undefined;
      const signSeparate = sign?.separate ?? false;
      return {
        field: {
          kind: 'zoned', digits: pic.digits, scale: pic.scale, signed: pic.signed || sign !== undefined,
          signPosition: sign?.position ?? 'trailing', signSeparate,
        },
        size: pic.digits + (signSeparate ? 1 : 0),
        alignment: 1,
      };
    }
    case 'numeric-edited':
      return {
        field: {
          kind: 'numeric-edited', digits: pic.digits, scale: pic.scale, signed: pic.signed,
          picture: input.pictureText ?? '', decimalPointIsComma: input.options.decimalPointIsComma,
        },
        size: pic.size,
        alignment: 1,
      };
  }
}

function national(characters: number): ElementaryShape {
  return { field: { kind: 'national', characters }, size: characters * 2, alignment: 1 };
}

/**
 * IBM binary sizes; beyond 18 digits (outside IBM's range) Cobrix's rule: enough bytes for
 * 10^digits in two's complement, ceil((digits * log2(10) + 1) / 8).
 */
export function binaryBytes(digits: number, oneByteDialect: boolean): number {
  if (oneByteDialect && digits <= 2) return 1;
  if (digits <= 4) return 2;
  if (digits <= 9) return 4;
  if (digits <= 18) return 8;
  return Math.ceil((Math.log2(10) * digits + 1) / 8);
}

function usageName(u: RawUsage): string {
  switch (u) {
    case 'binary': return 'COMP';
    case 'comp-5': return 'COMP-5';
    case 'comp-9': return 'COMP-9';
    case 'packed': return 'COMP-3';
    case 'packed-unsigned': return 'COMP-3U';
    default: return u.toUpperCase();
  }
}
