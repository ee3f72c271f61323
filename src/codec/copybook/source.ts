/**
 * Reference format -> one logical text the lexer reads, with the file line and column of every
 * character kept so errors point into the original file.
 *
 * Fixed format (IBM Enterprise COBOL Language Reference, "Reference format"):
 *   columns 1-6   sequence number area, ignored
 *   column  7     indicator: '*' or '/' comment line, '-' continuation, 'D'/'d' debugging line,
 *                 ' ' normal line
 *   columns 8-72  area A (8-11) and area B (12-72): the code
 *   columns 73-80 program identification area, ignored
 * A continued alphanumeric literal runs to column 72 of its line; the continuation line resumes it
 * after a quote in area B. Any other continued word is joined to the first non-blank character of the
 * continuation line.
 *
 * Compiler directives: `>>SOURCE [FORMAT] [IS] FREE|FIXED` switches the format for the lines that
 * follow; other `>>` directives (conditional compilation) cannot be evaluated here and are refused.
 *
 * Leniency kept from Cobrix, because real copybooks rely on it: a character other than an indicator
 * in column 7 starts the code there (copybooks shifted one column left); tabs and non-breaking spaces
 * are spaces; a line whose code starts with '*' is a comment; a DOS end-of-file mark (Ctrl-Z)
 * ends the text. In both formats `*>` starts an inline
 * comment outside literals.
 */

import { copybookError, type SourcePosition } from './errors.ts';

export interface LogicalSource {
  readonly file: string;
  readonly format: 'fixed' | 'free';
  /** Code with lines joined by '\n' (continuations already merged). */
  readonly text: string;
  /** 1-based file line of text[i]. */
  readonly lines: Int32Array;
  /** 1-based file column of text[i]. */
  readonly columns: Int32Array;
}

export interface SourceOptions {
  readonly format: 'fixed' | 'free' | 'auto';
  readonly debugLines: boolean;
}

export function toLogicalSource(file: string, raw: string, options: SourceOptions): LogicalSource {
  // Control-Z (0x1A) marks the end of a DOS text file; nothing after it is source.
  const eof = raw.indexOf('\u001a');
  const text = eof >= 0 ? raw.slice(0, eof) : raw;
  const physical = text.replace(/\r\n?/g, '\n').replace(/[\t\u00a0\f]/g, ' ').split('\n');
  if (physical.length > 0 && physical[0].charCodeAt(0) === 0xfeff) physical[0] = physical[0].slice(1);
  const format = options.format === 'auto' ? detectFormat(physical) : options.format;
  let current = format;
  const builder = new LogicalBuilder();
  physical.forEach((line, i) => {
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed.startsWith('>>')) {
      current = directive(trimmed, current, { file, line: lineNo, column: line.indexOf('>>') + 1 });
      return;
    }
    if (current === 'free') builder.addFreeLine(line, lineNo);
    else builder.addFixedLine(line, lineNo, options.debugLines);
  });
  return { file, format, ...builder.finish() };
}

function directive(text: string, current: 'fixed' | 'free', at: SourcePosition): 'fixed' | 'free' {
  const m = /^>>\s*SOURCE(?:\s+FORMAT)?(?:\s+IS)?\s+(FREE|FIXED)\b/i.exec(text);
  if (m) return m[1].toUpperCase() === 'FREE' ? 'free' : 'fixed';
  const word = text.split(/\s+/)[0];
  if (/^>>\s*(SOURCE|CALLINTERFACE|PAGE|LISTING)\b/i.test(text)) return current;
  throw copybookError('BANYAN_ERR_COPYBOOK_UNSUPPORTED', at, word, `compiler directive ${word} is not supported in copybooks (only >>SOURCE FORMAT)`);
}

/**
 * Free format when some code line starts a level number (or COPY) inside columns 1-6, where fixed
 * format only allows a sequence number (a 6-digit sequence number never looks like a 1-2 digit
 * level), or has code past column 80, where fixed format has no columns at all.
 */
export function detectFormat(lines: readonly string[]): 'fixed' | 'free' {
  for (const line of lines) {
    const first = line.search(/\S/);
    if (first < 0) continue;
    if (line[first] === '*' || line[6] === '*' || line[6] === '/') continue;
    if (line.length > 80 && /\S/.test(line.slice(80))) return 'free';
    if (first >= 6) continue;
    const words = line.slice(first).trim().split(/\s+/);
    const [head, next] = words;
    if (/^\d{1,2}$/.test(head) && next !== undefined && !/^\d+$/.test(next) && first + head.length <= 6) return 'free';
    if (/^COPY$/i.test(head) && next !== undefined) return 'free';
  }
  return 'fixed';
}

const CODE_END = 72;

class LogicalBuilder {
  private readonly chars: string[] = [];
  private readonly lineOf: number[] = [];
  private readonly colOf: number[] = [];
  /** The quote that opened a literal still open at the end of what was added, or ''. */
  private quote = '';
  private lastLine = 0;
  private lastLineEndCol = 1;

  addFixedLine(line: string, lineNo: number, debugLines: boolean): void {
    if (line.trim() === '') return;
    const indicator = line.length > 6 ? line[6] : ' ';
    if (indicator === '*' || indicator === '/') return;
    if ((indicator === 'D' || indicator === 'd') && !debugLines) return;
    const isIndicator = indicator === ' ' || indicator === '-' || indicator === 'D' || indicator === 'd';
    const start = isIndicator ? 7 : 6;
    const code = line.slice(start, CODE_END);
    if (indicator === '-') {
      this.continueWith(code, lineNo, start);
      return;
    }
    const first = code.search(/\S/);
    if (first < 0 || (code[first] === '*' && !this.expectsPicture())) return;
    this.newLine(lineNo);
    this.append(code, lineNo, start);
  }

  /** A check-protection PICTURE (`***,**9.99`) may start the line after `PIC`: that is not a comment. */
  private expectsPicture(): boolean {
    const tail = this.chars.slice(-16).join('');
    return /\bPIC(TURE)?(\s+IS)?\s*$/i.test(tail);
  }

  addFreeLine(line: string, lineNo: number): void {
    const first = line.search(/\S/);
    if (first < 0 || (line[first] === '*' && !this.expectsPicture())) return;
    this.newLine(lineNo);
    this.append(line, lineNo, 0);
  }

  finish(): { text: string; lines: Int32Array; columns: Int32Array } {
    return { text: this.chars.join(''), lines: Int32Array.from(this.lineOf), columns: Int32Array.from(this.colOf) };
  }

  private newLine(lineNo: number): void {
    if (this.chars.length > 0) this.push('\n', this.lastLine, this.lastLineEndCol);
    // An unterminated literal does not run into the next line; the lexer reports it there.
    this.quote = '';
    this.lastLine = lineNo;
  }

  private continueWith(code: string, lineNo: number, start: number): void {
    const first = code.search(/\S/);
    if (first < 0) return;
    if (this.quote !== '') {
      // The continued literal includes the rest of the previous line up to column 72.
      while (this.lastLineEndCol <= CODE_END) this.push(' ', this.lastLine, this.lastLineEndCol);
      // The continuation line resumes the literal after its opening quote.
      const resume = code[first] === '"' || code[first] === "'" ? first + 1 : first;
      this.lastLine = lineNo;
      this.append(code.slice(resume), lineNo, start + resume);
      return;
    }
    while (this.chars.length > 0 && this.chars[this.chars.length - 1] === ' ') {
      this.chars.pop();
      this.lineOf.pop();
      this.colOf.pop();
    }
    this.lastLine = lineNo;
    this.append(code.slice(first), lineNo, start + first);
  }

  /** Adds code whose first character is at 0-based column `start0` of file line `lineNo`. */
  private append(code: string, lineNo: number, start0: number): void {
    for (let i = 0; i < code.length; i++) {
      const c = code[i];
      if (this.quote === '' && c === '*' && code[i + 1] === '>') break;
      if (this.quote === '') {
        if (c === '"' || c === "'") this.quote = c;
      } else if (c === this.quote) {
        this.quote = '';
      }
      this.push(c, lineNo, start0 + i + 1);
    }
    this.lastLineEndCol = start0 + code.length + 1;
  }

  private push(c: string, line: number, col: number): void {
    this.chars.push(c);
    this.lineOf.push(line);
    this.colOf.push(col);
    if (line === this.lastLine) this.lastLineEndCol = col + 1;
  }
}
