/**
 * COPY statement expansion (IBM Enterprise COBOL Language Reference, "COPY statement"):
 *
 *   COPY member [OF|IN library] [SUPPRESS]
 *        [REPLACING { ==pseudo== | word | literal } BY { ==pseudo== | word | literal } ...
 *                 | { LEADING | TRAILING } ==text== BY ==text== ...] .
 *
 * Members are looked up in the directory of the including file, then in each copybook directory,
 * as `member`, `member.cpy`, `.cob`, `.cbl`, `.copy` in the case written, upper and lower case (and
 * under `library/` when OF/IN names one). A member that (indirectly) copies itself is an error.
 * Replacement matches whole tokens; pseudo-text holding a `:TAG:` word also replaces that tag inside
 * longer words (the common `==:PFX:== BY ==CUST==` convention), LEADING/TRAILING replace word parts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { copybookError, type SourcePosition } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { toLogicalSource, type SourceOptions } from './source.ts';

export interface CopyContext {
  readonly sourceOptions: SourceOptions;
  /** Directories searched after the including file's own directory. */
  readonly copybookDirs: readonly string[];
  /** Directory of the top-level copybook, when it came from a file. */
  readonly baseDir?: string;
}

const MAX_DEPTH = 32;
const EXTENSIONS = ['', '.cpy', '.cob', '.cbl', '.copy', '.CPY', '.COB', '.CBL', '.COPY'];

/** Replaces every COPY statement in `tokens` by the (replaced, recursively expanded) member tokens. */
export function expandCopies(tokens: readonly Token[], ctx: CopyContext, stack: readonly string[] = []): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind !== 'word' || t.upper !== 'COPY') {
      out.push(t);
      i++;
      continue;
    }
    const stmt = readCopyStatement(tokens, i);
    i = stmt.next;
    const found = findMember(stmt.member, stmt.library, t.file, ctx);
    if (!found) {
      throw copybookError('BANYAN_ERR_COPYBOOK_COPY_NOT_FOUND', stmt.memberToken, stmt.member.text,
        `copy member ${stmt.member.text} not found in ${searchDirs(t.file, ctx).join(', ') || '(no copybook directory given)'}`);
    }
    if (stack.includes(found) || stack.length >= MAX_DEPTH) {
      throw copybookError('BANYAN_ERR_COPYBOOK_COPY_RECURSION', stmt.memberToken, stmt.member.text,
        `COPY ${stmt.member.text} is recursive: ${[...stack, found].join(' -> ')}`);
    }
    let text: string;
    try {
      text = readFileSync(found, 'utf8');
    } catch (err) {
      throw copybookError('BANYAN_ERR_COPYBOOK_UNREADABLE', stmt.memberToken, stmt.member.text, `cannot read ${found}`, err as Error);
    }
    const memberTokens = expandCopies(tokenize(toLogicalSource(found, text, ctx.sourceOptions)), ctx, [...stack, found]);
    out.push(...applyReplacing(memberTokens, stmt.replacing));
  }
  return out;
}

/** The canonical text of a token list: what the layout hash is computed over. */
export function normaliseTokens(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      if (t.kind === 'literal') return `${t.prefix ?? ''}'${t.text.replace(/'/g, "''")}'`;
      if (t.kind === 'pseudo') return `==${t.text}==`;
      return t.upper;
    })
    .join(' ')
    .replace(/ \./g, '.');
}

interface Replacement {
  readonly mode: 'tokens' | 'leading' | 'trailing';
  readonly from: readonly Token[];
  readonly to: readonly Token[];
}

interface CopyStatement {
  readonly member: Token;
  readonly memberToken: SourcePosition;
  readonly library?: string;
  readonly replacing: readonly Replacement[];
  readonly next: number;
}

function readCopyStatement(tokens: readonly Token[], at: number): CopyStatement {
  const copy = tokens[at];
  let i = at + 1;
  const member = tokens[i];
  if (!member || (member.kind !== 'word' && member.kind !== 'literal')) {
    throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', member ?? copy, member?.text ?? 'COPY', 'COPY must be followed by a member name');
  }
  i++;
  let library: string | undefined;
  if (tokens[i]?.kind === 'word' && (tokens[i].upper === 'OF' || tokens[i].upper === 'IN')) {
    const lib = tokens[i + 1];
    if (!lib || (lib.kind !== 'word' && lib.kind !== 'literal')) {
      throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', lib ?? tokens[i], lib?.text ?? tokens[i].text, `${tokens[i].upper} must be followed by a library name`);
    }
    library = lib.text;
    i += 2;
  }
  if (tokens[i]?.kind === 'word' && tokens[i].upper === 'SUPPRESS') i++;
  const replacing: Replacement[] = [];
  if (tokens[i]?.kind === 'word' && tokens[i].upper === 'REPLACING') {
    i++;
    while (i < tokens.length && tokens[i].kind !== 'period') {
      let mode: Replacement['mode'] = 'tokens';
      if (tokens[i].kind === 'word' && (tokens[i].upper === 'LEADING' || tokens[i].upper === 'TRAILING')) {
        mode = tokens[i].upper === 'LEADING' ? 'leading' : 'trailing';
        i++;
      }
      const from = operand(tokens, i, copy);
      i++;
      if (tokens[i]?.kind !== 'word' || tokens[i].upper !== 'BY') {
        const t = tokens[i] ?? tokens[i - 1];
        throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', t, t.text, 'expected BY in COPY ... REPLACING');
      }
      i++;
      const to = operand(tokens, i, copy);
      i++;
      if (from.length === 0) throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', tokens[i - 3], '====', 'the text to replace cannot be empty');
      replacing.push({ mode, from, to });
    }
    if (replacing.length === 0) {
      const t = tokens[i] ?? tokens[i - 1];
      throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', t, t.text, 'REPLACING needs at least one "x BY y" pair');
    }
  }
  if (tokens[i]?.kind !== 'period') {
    const t = tokens[i] ?? tokens[tokens.length - 1];
    throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', t, t.text, 'a COPY statement must end with "."');
  }
  return { member, memberToken: member, library, replacing, next: i + 1 };
}

function operand(tokens: readonly Token[], i: number, copy: Token): readonly Token[] {
  const t = tokens[i];
  if (!t || t.kind === 'period') throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', t ?? copy, t?.text ?? 'COPY', 'COPY ... REPLACING is incomplete');
  return t.kind === 'pseudo' ? (t.inner ?? []) : [t];
}

function applyReplacing(tokens: readonly Token[], replacing: readonly Replacement[]): Token[] {
  if (replacing.length === 0) return [...tokens];
  const out: Token[] = [];
  let i = 0;
  outer: while (i < tokens.length) {
    for (const r of replacing) {
      if (r.mode === 'tokens' && matchesAt(tokens, i, r.from)) {
        out.push(...r.to);
        i += r.from.length;
        continue outer;
      }
    }
    out.push(replaceInsideWord(tokens[i], replacing));
    i++;
  }
  return out;
}

function matchesAt(tokens: readonly Token[], i: number, pattern: readonly Token[]): boolean {
  if (i + pattern.length > tokens.length) return false;
  for (let k = 0; k < pattern.length; k++) {
    const a = tokens[i + k];
    const b = pattern[k];
    if (a.kind !== b.kind) return false;
    if (a.kind === 'literal' ? a.text !== b.text || (a.prefix ?? '') !== (b.prefix ?? '') : a.upper !== b.upper) return false;
  }
  return true;
}

function replaceInsideWord(t: Token, replacing: readonly Replacement[]): Token {
  if (t.kind !== 'word') return t;
  let word = t.text;
  for (const r of replacing) {
    if (r.from.length !== 1) continue;
    const from = r.from[0].upper;
    const to = r.to.map((x) => x.text).join('');
    const upper = word.toUpperCase();
    if (r.mode === 'leading' && upper.startsWith(from)) word = to + word.slice(from.length);
    else if (r.mode === 'trailing' && upper.endsWith(from)) word = word.slice(0, word.length - from.length) + to;
    else if (r.mode === 'tokens' && from.includes(':') && upper.includes(from)) word = replaceAllCaseless(word, from, to);
  }
  if (word === t.text) return t;
  return { ...t, kind: /^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) ? 'number' : 'word', text: word, upper: word.toUpperCase() };
}

function replaceAllCaseless(word: string, from: string, to: string): string {
  let out = '';
  let i = 0;
  const upper = word.toUpperCase();
  for (;;) {
    const k = upper.indexOf(from, i);
    if (k < 0) return out + word.slice(i);
    out += word.slice(i, k) + to;
    i = k + from.length;
  }
}

function searchDirs(fromFile: string, ctx: CopyContext): string[] {
  const dirs: string[] = [];
  const own = isAbsolute(fromFile) || existsSync(fromFile) ? dirname(resolve(fromFile)) : ctx.baseDir;
  if (own) dirs.push(own);
  for (const d of ctx.copybookDirs) if (!dirs.includes(resolve(d))) dirs.push(resolve(d));
  return dirs;
}

function findMember(member: Token, library: string | undefined, fromFile: string, ctx: CopyContext): string | undefined {
  const names = [...new Set([member.text, member.text.toUpperCase(), member.text.toLowerCase()])];
  // COPY 'path/to/member.cpy': a literal may name a file (absolute, or relative to the search dirs).
  const dirs = member.kind === 'literal' && isAbsolute(member.text) ? [''] : searchDirs(fromFile, ctx);
  for (const dir of dirs) {
    const bases = library ? [join(dir, library), join(dir, library.toLowerCase()), join(dir, library.toUpperCase()), dir] : [dir];
    for (const base of bases) {
      for (const name of names) {
        for (const ext of EXTENSIONS) {
          const candidate = base === '' ? name + ext : join(base, name + ext);
          if (existsSync(candidate) && statSync(candidate).isFile()) return resolve(candidate);
        }
      }
    }
  }
  return undefined;
}
