/**
 * COBOL reserved words the data description parser recognises, and small helpers on literals.
 * USAGE spellings follow IBM Enterprise COBOL (COMP, COMPUTATIONAL, COMP-0..5, BINARY,
 * PACKED-DECIMAL, ...) plus Cobrix's COMP-3U and COMP-9 extensions.
 */
import type { RawUsage } from './entries.ts';

export const USAGE_WORDS: Readonly<Record<string, RawUsage>> = {
  DISPLAY: 'display',
  'DISPLAY-1': 'display-1',
  COMP: 'binary', COMPUTATIONAL: 'binary', 'COMP-0': 'binary', 'COMPUTATIONAL-0': 'binary',
  'COMP-4': 'binary', 'COMPUTATIONAL-4': 'binary', BINARY: 'binary',
  'COMP-5': 'comp-5', 'COMPUTATIONAL-5': 'comp-5',
  'COMP-9': 'comp-9',
  'COMP-3': 'packed', 'COMPUTATIONAL-3': 'packed', 'PACKED-DECIMAL': 'packed',
  'COMP-3U': 'packed-unsigned',
  'COMP-1': 'comp-1', 'COMPUTATIONAL-1': 'comp-1',
  'COMP-2': 'comp-2', 'COMPUTATIONAL-2': 'comp-2',
  NATIONAL: 'national',
  INDEX: 'index',
  POINTER: 'pointer', 'POINTER-32': 'pointer', 'PROCEDURE-POINTER': 'pointer', 'FUNCTION-POINTER': 'pointer',
};

export const FIGURATIVE: Readonly<Record<string, string>> = {
  ZERO: 'ZERO', ZEROS: 'ZERO', ZEROES: 'ZERO',
  SPACE: 'SPACE', SPACES: 'SPACE',
  'HIGH-VALUE': 'HIGH-VALUE', 'HIGH-VALUES': 'HIGH-VALUE',
  'LOW-VALUE': 'LOW-VALUE', 'LOW-VALUES': 'LOW-VALUE',
  QUOTE: 'QUOTE', QUOTES: 'QUOTE',
  NULL: 'NULL', NULLS: 'NULL',
};

export const CLAUSE_WORDS = new Set([
  'PIC', 'PICTURE', 'REDEFINES', 'OCCURS', 'USAGE', 'VALUE', 'VALUES', 'SIGN', 'LEADING', 'TRAILING',
  'SYNC', 'SYNCHRONIZED', 'JUST', 'JUSTIFIED', 'BLANK', 'EXTERNAL', 'GLOBAL', 'VOLATILE', 'RENAMES',
  'GROUP-USAGE', 'DATE', 'INDEXED', 'ASCENDING', 'DESCENDING', 'DEPENDING',
  ...Object.keys(USAGE_WORDS),
]);

export const LISTING_DIRECTIVES = new Set(['EJECT', 'SKIP1', 'SKIP2', 'SKIP3']);

export const VALID_LEVEL = (n: number) => (n >= 1 && n <= 49) || n === 66 || n === 77 || n === 88;

/** `+007.50` -> `7.50`, `-.5` -> `-0.5`: numeric literals kept as exact decimal strings. */
export function normaliseNumber(text: string): string {
  let s = text.startsWith('+') ? text.slice(1) : text;
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  if (/e/i.test(s)) return (neg ? '-' : '') + s.toUpperCase();
  let [int, frac] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '') || '0';
  const out = frac !== undefined && frac !== '' ? `${int}.${frac}` : int;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}
