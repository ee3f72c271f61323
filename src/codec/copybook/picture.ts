/**
 * PICTURE character-strings (IBM Enterprise COBOL Language Reference, "PICTURE clause"):
 * category, storage size for USAGE DISPLAY, digits, scale and sign.
 *
 *   picture := ( symbol [ '(' count ')' ] )+
 *   symbol  := A B E G N P S V X Z 9 0 / , . + - * $ CR DB
 *
 * Categories: alphabetic (A), alphanumeric (X, or A/X/9 mixed), alphanumeric-edited (X/A with
 * B 0 /), national (N), DBCS (G, or N with USAGE DISPLAY-1), numeric (9 S V P), numeric-edited
 * (9 with Z * + - CR DB B 0 / , . $). Numeric scale follows layout.ts: value = unscaled x 10^-scale,
 * P positions scale without taking storage (`PPP999` -> scale 6, `999PPP` -> scale -3).
 * Cobrix leniency kept: `S` in an edited picture (`S9(3).99`) marks it signed and takes no byte.
 */
import { copybookError, type SourcePosition } from './errors.ts';

export type PictureInfo =
  | { readonly category: 'alphanumeric'; readonly letter: 'X' | 'A'; readonly size: number }
  | { readonly category: 'alphanumeric-edited'; readonly size: number }
  | { readonly category: 'national'; readonly characters: number }
  | { readonly category: 'dbcs'; readonly characters: number }
  | { readonly category: 'numeric'; readonly digits: number; readonly scale: number; readonly signed: boolean }
  | { readonly category: 'numeric-edited'; readonly digits: number; readonly scale: number; readonly signed: boolean; readonly size: number };

interface Run {
  readonly symbol: string;
  readonly count: number;
}

/** Largest item we accept: far beyond any record format (V records stop at 32 KB) but bounded. */
const MAX_ITEM_SIZE = 1 << 30;

export function parsePicture(picture: string, at: SourcePosition, decimalPointIsComma: boolean): PictureInfo {
  const runs = toRuns(picture, at);
  const symbols = new Set(runs.map((r) => r.symbol));
  const total = (pred: (s: string) => boolean) => runs.reduce((n, r) => (pred(r.symbol) ? n + r.count * (r.symbol.length === 2 ? 2 : 1) : n), 0);
  const only = (allowed: string) => [...symbols].every((s) => allowed.includes(s));
  const fail = (detail: string): never => {
    throw copybookError('BANYAN_ERR_COPYBOOK_PICTURE', at, picture, detail);
  };
  const checkSize = (n: number) => (n > MAX_ITEM_SIZE ? fail(`PICTURE ${picture} is larger than ${MAX_ITEM_SIZE} bytes`) : n);

  if ((symbols.has('X') || symbols.has('A')) && only('XA9')) {
    return { category: 'alphanumeric', letter: only('A') ? 'A' : 'X', size: checkSize(total(() => true)) };
  }
  if ((symbols.has('X') || symbols.has('A')) && only('XA9B0/')) {
    return { category: 'alphanumeric-edited', size: checkSize(total(() => true)) };
  }
  if (symbols.has('N') && only('NB0/')) return { category: 'national', characters: checkSize(total(() => true)) };
  if (symbols.has('G') && only('GB')) return { category: 'dbcs', characters: checkSize(total(() => true)) };
  if (only('9SVP')) return numeric(runs, picture, fail);
  if (symbols.has('E')) {
    throw copybookError('BANYAN_ERR_COPYBOOK_UNSUPPORTED', at, picture, 'external floating-point pictures (with E) are not supported');
  }
  for (const s of symbols) {
    if (!'9ZSVP*+-B0/,.$'.includes(s) && s !== 'CR' && s !== 'DB') fail(`"${s}" cannot appear in this PICTURE`);
  }
  return edited(runs, picture, decimalPointIsComma, fail, checkSize);
}

function toRuns(picture: string, at: SourcePosition): Run[] {
  const p = picture.toUpperCase();
  const runs: Run[] = [];
  let i = 0;
  while (i < p.length) {
    let symbol = p[i];
    if ((p.startsWith('CR', i) || p.startsWith('DB', i)) && p[i + 2] !== '(') symbol = p.slice(i, i + 2);
    else if (!/[ABEGNPSVXZ90/,.+\-*$]/.test(symbol)) {
      throw copybookError('BANYAN_ERR_COPYBOOK_PICTURE', at, picture, `"${p[i]}" is not a PICTURE symbol`);
    }
    i += symbol.length;
    let count = 1;
    if (p[i] === '(') {
      const close = p.indexOf(')', i);
      const n = close < 0 ? '' : p.slice(i + 1, close);
      if (!/^\d+$/.test(n) || Number(n) === 0) {
        throw copybookError('BANYAN_ERR_COPYBOOK_PICTURE', at, picture, `repetition "${p.slice(i, close < 0 ? p.length : close + 1)}" needs a positive count`);
      }
      count = Number(n);
      i = close + 1;
    }
    const last = runs[runs.length - 1];
    if (last && last.symbol === symbol) runs[runs.length - 1] = { symbol, count: last.count + count };
    else runs.push({ symbol, count });
  }
  if (runs.length === 0) throw copybookError('BANYAN_ERR_COPYBOOK_PICTURE', at, picture, 'empty PICTURE');
  return runs;
}

function numeric(runs: readonly Run[], picture: string, fail: (d: string) => never): PictureInfo {
  const sIndex = runs.findIndex((r) => r.symbol === 'S');
  if (sIndex > 0 || (sIndex === 0 && runs[0].count > 1)) fail('S must appear once, at the start of the PICTURE');
  if (runs.filter((r) => r.symbol === 'V').reduce((n, r) => n + r.count, 0) > 1) fail('V may appear only once');
  let positions = 0;
  let point = -1;
  let lastNineEnd = -1;
  let digits = 0;
  let firstPositionIsP: boolean | undefined;
  for (const r of runs) {
    if (r.symbol === 'V') point = positions;
    if (r.symbol === '9' || r.symbol === 'P') {
      firstPositionIsP ??= r.symbol === 'P';
      positions += r.count;
      if (r.symbol === '9') {
        digits += r.count;
        lastNineEnd = positions;
      }
    }
  }
  if (digits === 0) fail(`numeric PICTURE ${picture} has no digit position (9)`);
  if (point < 0) point = firstPositionIsP ? 0 : positions;
  const scale = lastNineEnd - point;
  return { category: 'numeric', digits, scale, signed: sIndex === 0 };
}

function edited(
  runs: readonly Run[],
  picture: string,
  dpc: boolean,
  fail: (d: string) => never,
  checkSize: (n: number) => number,
): PictureInfo {
  const pointSymbol = dpc ? ',' : '.';
  // A floating insertion string (+++, ---, $$$) uses its first symbol for the sign or currency and
  // the rest as digit positions.
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.symbol, (counts.get(r.symbol) ?? 0) + r.count);
  const floating = (s: string) => (s === '+' || s === '-' || s === '$') && (counts.get(s) ?? 0) > 1;
  let size = 0;
  let digits = 0;
  let scale = 0;
  let afterPoint = false;
  const seenFloat = new Set<string>();
  for (const r of runs) {
    const s = r.symbol;
    if (s === 'V') {
      afterPoint = true;
      continue;
    }
    if (s === 'S' || s === 'P') continue;
    size += r.count * s.length;
    if (s === pointSymbol) {
      if (afterPoint) fail('a PICTURE may have only one decimal point');
      afterPoint = true;
      continue;
    }
    let positions = 0;
    if (s === '9' || s === 'Z' || s === '*') positions = r.count;
    else if (floating(s)) {
      positions = seenFloat.has(s) ? r.count : r.count - 1;
      seenFloat.add(s);
    }
    digits += positions;
    if (afterPoint) scale += positions;
  }
  if (digits === 0) fail(`numeric-edited PICTURE ${picture} has no digit position`);
  const signed = counts.has('+') || counts.has('-') || counts.has('CR') || counts.has('DB') || counts.has('S');
  return { category: 'numeric-edited', digits, scale, signed, size: checkSize(size) };
}
