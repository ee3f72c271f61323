/**
 * The import graph of a source tree, for the architecture rules (import-rules.test.ts): every
 * import and export-from statement (type-only ones included) and every dynamic import('...') of a
 * string literal, with its line and what it resolves to. Not a test file itself.
 *
 * Statements are found in the source with comments blanked and the text of strings, template
 * literals and regular expressions masked (maskSource), so an import written in a comment or a
 * string is not taken for one. Computed dynamic imports (`import(url)`) cannot be resolved and are
 * not in the graph.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

export type ImportTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string };

export interface ImportEdge {
  /** The importing file, relative to the tree's root with `/` separators (e.g. `src/core/errors.ts`). */
  readonly file: string;
  readonly line: number;
  /** As written, e.g. `../router/server.ts`. */
  readonly specifier: string;
  /** A relative specifier resolved against `file` (a root-relative path), else the node builtin or npm package. */
  readonly target: ImportTarget;
}

/** Every `.ts` file under `dir` of `root`, keyed by root-relative path (`/` separators). */
export function readSourceTree(root: string, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs).sort()) {
      const full = join(abs, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts')) files.set(relative(root, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(join(root, dir));
  return files;
}

/** The imports of every file of the tree (root-relative path -> source text). */
export function importGraph(files: ReadonlyMap<string, string>): ImportEdge[] {
  return [...files].flatMap(([file, text]) =>
    importsOf(text).map(({ specifier, line }) => ({ file, line, specifier, target: resolveSpecifier(file, specifier) })),
  );
}

/** The module specifiers one source text imports, in source order, with their 1-based lines. */
export function importsOf(text: string): Array<{ specifier: string; line: number }> {
  const masked = maskSource(text);
  const found: Array<{ specifier: string; at: number }> = [];
  for (const pattern of STATEMENTS) {
    for (const m of masked.matchAll(pattern)) {
      const [start, end] = m.indices!.groups!.spec!;
      found.push({ specifier: text.slice(start, end), at: start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ specifier, at }) => ({ specifier, line: lineAt(text, at) }));
}

// Matched on masked text: string contents are `_`, so `(?<spec>_*)` spans exactly a literal's
// text, which is then read from the original at the same offsets.
const BINDINGS = String.raw`(?:(?!\b(?:import|export)\b)[\w$*{},\s])*?`;
const STATEMENTS: readonly RegExp[] = [
  // import x from '...'; import { a, type B } from '...'; import type X from '...'; import * as n from '...'
  // export { a } from '...'; export * from '...'; export * as n from '...'; export type { T } from '...'
  new RegExp(String.raw`(?<![\w$.])(?:import|export)(?![\w$])\s*${BINDINGS}\s*\bfrom\s*(['"])(?<spec>_*)\1`, 'gd'),
  // import '...' (side effect only)
  /(?<![\w$.])import\s*(['"])(?<spec>_*)\1/gd,
  // import('...'), import(`...`) without substitutions, import('...', { with: ... })
  /(?<![\w$.])import\s*\(\s*(['"`])(?<spec>_*)\1\s*[,)]/gd,
];

function resolveSpecifier(file: string, specifier: string): ImportTarget {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    return { kind: 'file', path: posix.normalize(posix.join(posix.dirname(file), specifier)) };
  }
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return { kind: 'node', name: specifier };
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** After these words a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
/** After these characters (or at the start) a `/` starts a regular expression. */
const REGEX_AFTER_CHAR = new Set(['', ...'(,=:[!&|?{};+-*%<>~^']);

/**
 * The text with comments turned into spaces and the contents of string literals, template text
 * and regular expressions into `_`; delimiters, code (inside `${}` too) and line breaks stay, so
 * offsets and line numbers are those of the original.
 */
export function maskSource(text: string): string {
  const out = text.split('');
  const mask = (from: number, to: number, by: string) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = by;
  };
  // Code contexts count their braces, so the `}` that closes a template's `${` is told apart.
  const stack: Array<{ kind: 'code'; depth: number } | { kind: 'template' }> = [{ kind: 'code', depth: 0 }];
  let prevChar = '';
  let word = '';
  let prevWord = '';
  let i = 0;
  while (i < text.length) {
    const top = stack[stack.length - 1]!;
    const c = text[i]!;
    if (top.kind === 'template') {
      if (c === '\\') {
        mask(i, i + 2, '_');
        i += 2;
      } else if (c === '`') {
        stack.pop();
        prevChar = 'a';
        prevWord = '';
        i++;
      } else if (c === '$' && text[i + 1] === '{') {
        stack.push({ kind: 'code', depth: 0 });
        prevChar = '{';
        i += 2;
      } else {
        mask(i, i + 1, '_');
        i++;
      }
      continue;
    }
    const next = text[i + 1];
    if (/[\w$]/.test(c)) {
      word += c;
      prevChar = 'a';
      i++;
      continue;
    }
    if (word) [prevWord, word] = [word, ''];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      mask(i, end < 0 ? text.length : end, ' ');
      i = end < 0 ? text.length : end;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      mask(i, end, ' ');
      i = end;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      mask(i + 1, j, '_');
      prevChar = 'a';
      prevWord = '';
      i = j + 1;
    } else if (c === '`') {
      stack.push({ kind: 'template' });
      i++;
    } else if (c === '/' && (REGEX_AFTER_CHAR.has(prevChar) || (prevChar === 'a' && REGEX_AFTER_WORD.has(prevWord)))) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n' && (inClass || text[j] !== '/')) {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        j++;
      }
      mask(i + 1, j, '_');
      prevChar = 'a';
      prevWord = '';
      i = j + 1;
    } else {
      if (c === '{') top.depth++;
      if (c === '}') {
        if (top.depth === 0 && stack.length > 1) {
          stack.pop();
          prevChar = 'a';
          i++;
          continue;
        }
        top.depth--;
      }
      if (!/\s/.test(c)) {
        prevChar = c;
        prevWord = '';
      }
      i++;
    }
  }
  return out.join('');
}
