/**
 * Cobrix's expected output parsed without losing a digit (lossless-json keeps every number as its
 * text) and compared with Banyan's rows: decimals as exact canonical decimals, COMP-1 through
 * float32 rounding, COMP-2 as doubles, text after the normalisation DIFFERENCES.md lists.
 */
import { isLosslessNumber, parse } from 'lossless-json';
import { canonicalDecimal, isTagged, type Cell, type Row } from './spark-rows.ts';

export type Expected = unknown;

/** JSON Lines, a pretty-printed array (test 7) or pretty-printed objects one after another (test 16). */
export function parseExpected(text: string): Expected[] {
  const t = text.trim();
  if (t.startsWith('[')) return parse(t) as Expected[];
  if (/\n\}\s*\n\{/.test(t)) return parse(`[${t.replace(/\n\}\s*\n\{/g, '\n},\n{')}]`) as Expected[];
  return t.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => parse(l) as Expected);
}

export interface TextRule {
  /**
   * Cobrix maps EBCDIC control bytes to spaces (`space`) and drops ASCII bytes below 0x20 (`remove`,
   * AsciiStringDecoderWrapper); its default `common` EBCDIC table knows only printable ASCII and turns
   * every other byte into a space (`printable-ascii`). The JDK tables (our oracle) keep all of them.
   */
  readonly controls: 'space' | 'remove' | 'printable-ascii';
  readonly trimming: 'both' | 'none' | 'left' | 'right';
}

/** Every difference between expected and actual rows, as `row N path: expected X, got Y`. */
export function diffRows(expected: readonly Expected[], actual: readonly Row[], text: TextRule): string[] {
  const out: string[] = [];
  if (expected.length !== actual.length) out.push(`expected ${expected.length} rows, got ${actual.length}`);
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) diffCell(expected[i], actual[i]!, `row ${i}`, out, text);
  return out;
}

function diffCell(e: Expected, a: Cell | undefined, path: string, out: string[], text: TextRule): void {
  const fail = (why: string): void => {
    out.push(`${path}: ${why}`);
  };
  if (a === undefined) return fail(`missing, expected ${show(e)}`);
  if (a !== null && typeof a === 'object' && !Array.isArray(a) && isTagged(a)) {
    if (!isLosslessNumber(e)) return fail(`expected ${show(e)}, got number ${show(a)}`);
    const expectedText = e.toString();
    if ('$dec' in a) {
      if (canonicalDecimal(expectedText) !== a.$dec) fail(`expected ${expectedText}, got ${a.$dec}`);
    } else if ('$f32' in a) {
      if (Math.fround(Number(expectedText)) !== Math.fround(a.$f32)) fail(`expected float ${expectedText}, got ${a.$f32}`);
    } else if (Number(expectedText) !== a.$f64) fail(`expected double ${expectedText}, got ${a.$f64}`);
    return;
  }
  if (typeof a === 'string') {
    if (typeof e !== 'string') return fail(`expected ${show(e)}, got string ${JSON.stringify(a)}`);
    if (normaliseText(e, text) !== normaliseText(a, text)) fail(`expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
    return;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(e)) return fail(`expected ${show(e)}, got an array`);
    if (e.length !== a.length) return fail(`expected ${e.length} elements, got ${a.length}`);
    a.forEach((item, i) => diffCell(e[i], item, `${path}[${i}]`, out, text));
    return;
  }
  if (a === null || typeof a !== 'object') {
    if (e !== a) fail(`expected ${show(e)}, got ${show(a)}`);
    return;
  }
  if (e === null || typeof e !== 'object' || Array.isArray(e) || isLosslessNumber(e)) return fail(`expected ${show(e)}, got an object`);
  const eo = e as Record<string, Expected>;
  for (const key of Object.keys(eo)) diffCell(eo[key], a[key], `${path}.${key}`, out, text);
  for (const key of Object.keys(a)) if (!(key in eo)) fail(`unexpected field ${key} = ${show(a[key])}`);
}

/**
 * Cobrix's `common` tables decode C0/C1 control bytes (and NEL) to spaces; compare both sides with
 * controls as spaces, then re-apply the trimming policy.
 */
function normaliseText(s: string, rule: TextRule): string {
  const spaced =
    rule.controls === 'space'
      ? s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      : rule.controls === 'printable-ascii'
        ? s.replace(/[^\u0020-\u007e]/g, ' ')
        : s.replace(/[\u0000-\u001f]/g, '');
  switch (rule.trimming) {
    case 'both':
      return spaced.trim();
    case 'left':
      return spaced.trimStart();
    case 'right':
      return spaced.trimEnd();
    default:
      return spaced;
  }
}

function show(v: unknown): string {
  if (isLosslessNumber(v)) return v.toString();
  const s = JSON.stringify(v, (_k, x: unknown) => (isLosslessNumber(x) ? x.toString() : x));
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
