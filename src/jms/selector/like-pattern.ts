/**
 * `identifier [NOT] LIKE pattern-value [ESCAPE escape-character]` (Jakarta Messaging 3.1, 3.8.1.1):
 * in the pattern `_` stands for any single character and `%` for any sequence of characters,
 * including none; every other character stands for itself. The escape character, when given,
 * makes the character after it literal ('\_%' ESCAPE '\' matches strings starting with "_").
 *
 * The pattern is compiled once, at parse time. The common shapes skip the regular expression:
 * no wildcard (equality), 'abc%' (startsWith), '%abc' (endsWith), '%abc%' (includes). A
 * "single character" is one Unicode code point (the regular expression has the `u` flag), so `_`
 * matches an emoji written as a surrogate pair, where Java's regex-based brokers see two chars.
 */

export type LikeMatcher = (value: string) => boolean;

/** The matcher, or why the pattern is not one: the escape is not one character, or ends the pattern. */
export type LikeCompilation = { readonly ok: true; readonly matches: LikeMatcher } | { readonly ok: false; readonly problem: string };

type Part = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'any' } | { readonly kind: 'one' };

export function compileLikePattern(pattern: string, escape: string | undefined): LikeCompilation {
  if (escape !== undefined && [...escape].length !== 1) {
    return { ok: false, problem: `the ESCAPE value must be exactly one character, not '${escape}'` };
  }
  const parts = splitPattern(pattern, escape);
  if (!Array.isArray(parts)) return { ok: false, problem: parts.problem };
  return { ok: true, matches: matcherFor(parts) };
}

function splitPattern(pattern: string, escape: string | undefined): Part[] | { problem: string } {
  const parts: Part[] = [];
  let text = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === escape) {
      if (i + 1 === chars.length) return { problem: `the pattern '${pattern}' ends with the escape character '${escape}', which has nothing to escape` };
      text += chars[++i];
    } else if (c === '%' || c === '_') {
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      // Consecutive %s mean the same as one.
      if (c === '_' || parts.at(-1)?.kind !== 'any') parts.push({ kind: c === '%' ? 'any' : 'one' });
    } else {
      text += c;
    }
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

function matcherFor(parts: readonly Part[]): LikeMatcher {
  const shape = parts.map((p) => (p.kind === 'text' ? 't' : p.kind === 'any' ? '%' : '_')).join('');
  const textOf = (i: number) => (parts[i] as { text: string }).text;
  switch (shape) {
    case '':
      return (v) => v === '';
    case '%':
      return () => true;
    case 't': {
      const t = textOf(0);
      return (v) => v === t;
    }
    case 't%': {
      const t = textOf(0);
      return (v) => v.startsWith(t);
    }
    case '%t': {
      const t = textOf(1);
      return (v) => v.endsWith(t);
    }
    case '%t%': {
      const t = textOf(1);
      return (v) => v.includes(t);
    }
    default: {
      const source = parts.map((p) => (p.kind === 'text' ? escapeRegExp(p.text) : p.kind === 'any' ? '.*' : '.')).join('');
      const re = new RegExp(`^${source}$`, 'su');
      return (v) => re.test(v);
    }
  }
}

/** The characters a `u`-flag regular expression lets (and needs) us escape: its syntax characters and /. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
