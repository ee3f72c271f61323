/**
 * Tokens of a data description. COBOL separators (IBM Language Reference, "Separators"): spaces;
 * ',' and ';' followed by a space; '.' followed by a space or the end; quotes around literals;
 * '==' around pseudo-text. Everything else between separators is one character-string, so a
 * PICTURE string such as `9(6).99-` or `ZZ,ZZ9.99` stays one token.
 *
 * token     := word | number | literal | pseudo-text | '.'
 * literal   := [X|N|G|NX|Z] ( '...' | "..." )      doubled quote = one quote
 * pseudo    := '==' token* '=='
 */
import { copybookError, type SourcePosition } from './errors.ts';
import type { LogicalSource } from './source.ts';

export type TokenKind = 'word' | 'number' | 'literal' | 'pseudo' | 'period';

export interface Token extends SourcePosition {
  readonly kind: TokenKind;
  /** As written (for literals the content without quotes, for pseudo-text the raw inner text). */
  readonly text: string;
  /** Upper-case text for words and numbers, used to match keywords and names. */
  readonly upper: string;
  /** Literal prefix: '' for plain quotes, 'X' hex, 'N' national, 'G' DBCS, 'NX', 'Z'. */
  readonly prefix?: string;
  /** Tokens inside ==pseudo-text==. */
  readonly inner?: readonly Token[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(E[+-]?\d+)?$/i;
const LITERAL_PREFIXES = new Set(['X', 'N', 'G', 'NX', 'Z']);

export function tokenize(src: LogicalSource): Token[] {
  return new Lexer(src).run(0, src.text.length, false);
}

class Lexer {
  private readonly src: LogicalSource;

  constructor(src: LogicalSource) {
    this.src = src;
  }

  run(from: number, to: number, insidePseudo: boolean): Token[] {
    const { text } = this.src;
    const out: Token[] = [];
    let i = from;
    while (i < to) {
      const c = text[i];
      if (c === ' ' || c === '\n') {
        i++;
        continue;
      }
      if ((c === ',' || c === ';') && isBreak(text, i + 1, to)) {
        i++;
        continue;
      }
      if (c === '.' && isBreak(text, i + 1, to)) {
        out.push(this.token('period', '.', i));
        i++;
        continue;
      }
      if (c === '=' && text[i + 1] === '=' && !insidePseudo) {
        const close = text.indexOf('==', i + 2);
        if (close < 0) throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', this.pos(i), '==', 'pseudo-text is not closed with "=="');
        const inner = this.run(i + 2, close, true);
        out.push({ ...this.token('pseudo', text.slice(i + 2, close), i), inner });
        i = close + 2;
        continue;
      }
      if (c === '"' || c === "'") {
        i = this.literal(i, '', out);
        continue;
      }
      // A character-string runs to the next separator.
      let j = i;
      while (j < to) {
        const d = text[j];
        if (d === ' ' || d === '\n') break;
        if ((d === ',' || d === ';' || d === '.') && isBreak(text, j + 1, to)) break;
        if (d === '"' || d === "'") {
          const prefix = text.slice(i, j).toUpperCase();
          if (j > i && LITERAL_PREFIXES.has(prefix)) break;
        }
        if (insidePseudo && d === '=' && text[j + 1] === '=') break;
        j++;
      }
      const word = text.slice(i, j);
      if (j < to && (text[j] === '"' || text[j] === "'") && LITERAL_PREFIXES.has(word.toUpperCase())) {
        i = this.literal(j, word.toUpperCase(), out, i);
        continue;
      }
      out.push(this.token(NUMBER.test(word) ? 'number' : 'word', word, i));
      i = j;
    }
    return out;
  }

  /** Reads a quoted literal starting at the quote `at`; returns the index after it. */
  private literal(at: number, prefix: string, out: Token[], tokenStart = at): number {
    const { text } = this.src;
    const q = text[at];
    let value = '';
    let k = at + 1;
    for (;;) {
      if (k >= text.length || text[k] === '\n') {
        throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', this.pos(tokenStart), text.slice(tokenStart, k), 'literal is not closed (continue it with "-" in column 7 and a quote)');
      }
      if (text[k] === q) {
        if (text[k + 1] === q) {
          value += q;
          k += 2;
          continue;
        }
        break;
      }
      value += text[k];
      k++;
    }
    out.push({ ...this.token('literal', value, tokenStart), prefix });
    return k + 1;
  }

  private token(kind: TokenKind, text: string, at: number): Token {
    return { kind, text, upper: kind === 'literal' || kind === 'pseudo' ? text : text.toUpperCase(), ...this.pos(at) };
  }

  private pos(at: number): SourcePosition {
    const i = Math.min(at, this.src.text.length - 1);
    return { file: this.src.file, line: i >= 0 ? this.src.lines[i] : 1, column: i >= 0 ? this.src.columns[i] : 1 };
  }
}

function isBreak(text: string, i: number, to: number): boolean {
  return i >= to || text[i] === ' ' || text[i] === '\n';
}
