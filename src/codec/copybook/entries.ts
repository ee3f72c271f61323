/**
 * Tokens -> data description entries, one per level number (IBM Enterprise COBOL Language
 * Reference, "Data description entry"). Clauses may come in any order; each at most once.
 *
 *   entry   := level [name | FILLER] clause* '.'
 *   clause  := PIC[TURE] [IS] string | REDEFINES name | [USAGE [IS]] usage
 *            | OCCURS n [TO m] [TIMES] [DEPENDING [ON] qname] {ASCENDING|DESCENDING [KEY] [IS] name+}*
 *              [INDEXED [BY] name+]
 *            | VALUE[S] [IS|ARE] value {[THRU|THROUGH] value}* | [SIGN [IS]] LEADING|TRAILING [SEPARATE [CHARACTER]]
 *            | SYNC[HRONIZED] [LEFT|RIGHT] | JUST[IFIED] [RIGHT] | BLANK [WHEN] ZERO[S|ES]
 *            | EXTERNAL | GLOBAL | VOLATILE | GROUP-USAGE [IS] NATIONAL | DATE FORMAT [IS] pattern
 *   66 name RENAMES qname [THRU|THROUGH qname] '.'
 *   qname   := name {OF|IN name}*
 */
import { copybookError } from './errors.ts';
import type { Token } from './lexer.ts';
import { CLAUSE_WORDS, FIGURATIVE, LISTING_DIRECTIVES, normaliseNumber, USAGE_WORDS, VALID_LEVEL } from './words.ts';

/** USAGE as written, before normalisation into layout.ts `Usage` (keeps Cobrix extensions apart). */
export type RawUsage =
  | 'display' | 'binary' | 'comp-5' | 'comp-9' | 'packed' | 'packed-unsigned'
  | 'comp-1' | 'comp-2' | 'national' | 'display-1' | 'index' | 'pointer';

export interface QualifiedName {
  /** The name first, then its qualifiers: `A OF B IN C` -> ['A', 'B', 'C']. */
  readonly names: readonly string[];
  readonly token: Token;
}

export interface RawValue {
  readonly kind: 'alphanumeric' | 'numeric' | 'hex' | 'national' | 'figurative';
  readonly text: string;
  readonly all: boolean;
  readonly token: Token;
}

export interface RawEntry {
  readonly level: number;
  readonly levelToken: Token;
  readonly name: string;
  readonly isFiller: boolean;
  readonly nameToken: Token;
  redefines?: { readonly name: string; readonly token: Token };
  picture?: Token;
  usage?: { readonly usage: RawUsage; readonly token: Token };
  occurs?: {
    readonly min: number;
    readonly max: number;
    readonly dependingOn?: QualifiedName;
    readonly indexedBy: string[];
    readonly keys: Array<{ order: 'ascending' | 'descending'; fields: string[] }>;
    readonly token: Token;
  };
  values?: Array<RawValue | { from: RawValue; to: RawValue }>;
  sign?: { readonly position: 'leading' | 'trailing'; readonly separate: boolean; readonly token: Token };
  sync?: boolean;
  justifiedRight?: boolean;
  blankWhenZero?: boolean;
  renames?: { readonly from: QualifiedName; readonly thru?: QualifiedName };
}

/** Splits the token stream into entries; throws BANYAN_ERR_COPYBOOK_SYNTAX on the first bad token. */
export function parseEntries(tokens: readonly Token[]): RawEntry[] {
  return new EntryParser(tokens).run();
}

class EntryParser {
  private i = 0;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  run(): RawEntry[] {
    const out: RawEntry[] = [];
    while (this.i < this.tokens.length) {
      const t = this.peek();
      if (t?.kind === 'period') {
        this.i++; // a stray separator period
        continue;
      }
      if (t?.kind === 'word' && LISTING_DIRECTIVES.has(t.upper)) {
        this.i++; // EJECT, SKIP1..3: listing control, no data
        continue;
      }
      if (t?.kind === 'word' && (t.upper === 'EXEC' || t.upper === 'EXECUTE')) {
        this.skipExec(t); // DCLGEN members start with EXEC SQL DECLARE ... END-EXEC: no storage
        continue;
      }
      out.push(this.entry());
    }
    return out;
  }

  /** Skips `EXEC ... END-EXEC [.]` (embedded SQL/CICS in DCLGEN and similar members). */
  private skipExec(start: Token): void {
    while (this.i < this.tokens.length && !(this.tokens[this.i].kind === 'word' && this.tokens[this.i].upper === 'END-EXEC')) this.i++;
    if (this.i >= this.tokens.length) throw this.error(start, 'EXEC without END-EXEC');
    this.i++;
  }

  private entry(): RawEntry {
    const levelToken = this.next();
    if (levelToken.kind !== 'number' || !/^\d{1,2}$/.test(levelToken.text)) {
      throw this.error(levelToken, 'expected a level number (01-49, 66, 77, 88) to start a data description entry');
    }
    const level = Number(levelToken.text);
    if (!VALID_LEVEL(level)) throw this.error(levelToken, `level number ${levelToken.text} is not 01-49, 66, 77 or 88`);

    let name = 'FILLER';
    let isFiller = true;
    let nameToken = levelToken;
    const t = this.peek();
    if (t && t.kind === 'word' && (t.upper === 'FILLER' || !CLAUSE_WORDS.has(t.upper) || this.reservedWordAsName(t))) {
      this.i++;
      nameToken = t;
      if (t.upper !== 'FILLER') {
        name = t.upper;
        isFiller = false;
      }
    } else if (t && t.kind !== 'word' && t.kind !== 'period') {
      throw this.error(t, 'expected a data name, FILLER or a clause after the level number');
    }
    if ((level === 66 || level === 88) && isFiller) throw this.error(t ?? levelToken, `a level-${level} entry needs a name`);

    const e: RawEntry = { level, levelToken, name, isFiller, nameToken };
    for (;;) {
      const c = this.peek();
      if (!c) break; // the last entry of a file may lack its period
      if (c.kind === 'period') {
        this.i++;
        break;
      }
      this.clause(e, level);
    }
    if (level === 66 && !e.renames) throw this.error(levelToken, 'a level-66 entry needs a RENAMES clause');
    if (level === 88 && !e.values) throw this.error(levelToken, 'a level-88 condition name needs a VALUE clause');
    return e;
  }

  /**
   * Copybooks written for other tools use reserved words as names (`05 DATE PIC X(8).`, Cobrix
   * accepts them). A clause word that is not a USAGE and is directly followed by PIC, REDEFINES,
   * OCCURS, VALUE or '.' cannot be starting its own clause, so it is the item's name.
   */
  private reservedWordAsName(t: Token): boolean {
    if (USAGE_WORDS[t.upper]) return false;
    const next = this.tokens[this.i + 1];
    if (!next) return true;
    if (next.kind === 'period') return true;
    return next.kind === 'word' && ['PIC', 'PICTURE', 'REDEFINES', 'OCCURS', 'VALUE', 'VALUES'].includes(next.upper);
  }

  private clause(e: RawEntry, level: number): void {
    const t = this.next();
    const once = (present: unknown) => {
      if (present !== undefined) throw this.error(t, `${t.upper} is given twice for ${e.name}`);
    };
    if (t.kind !== 'word') throw this.error(t, `expected a clause or "." but found ${describe(t)}`);
    const w = t.upper;
    if (level === 88 && w !== 'VALUE' && w !== 'VALUES') throw this.error(t, 'a level-88 condition name takes only a VALUE clause');
    if (level === 66 && w !== 'RENAMES') throw this.error(t, 'a level-66 entry takes only a RENAMES clause');
    switch (w) {
      case 'PIC':
      case 'PICTURE': {
        once(e.picture);
        this.optional('IS');
        const p = this.next();
        if (p.kind === 'period' || p.kind === 'pseudo') throw this.error(p, 'expected a PICTURE character-string');
        e.picture = p;
        return;
      }
      case 'REDEFINES': {
        once(e.redefines);
        const n = this.expectWord('the name of the redefined item');
        e.redefines = { name: n.upper, token: n };
        return;
      }
      case 'USAGE': {
        once(e.usage);
        this.optional('IS');
        const u = this.next();
        const usage = u.kind === 'word' ? USAGE_WORDS[u.upper] : undefined;
        if (!usage) throw this.error(u, 'expected a usage (DISPLAY, COMP, COMP-1..5, BINARY, PACKED-DECIMAL, NATIONAL, DISPLAY-1, INDEX, POINTER)');
        e.usage = { usage, token: u };
        return;
      }
      case 'OCCURS':
        once(e.occurs);
        e.occurs = this.occurs(t);
        return;
      case 'VALUE':
      case 'VALUES':
        once(e.values);
        if (!this.optional('IS')) this.optional('ARE');
        e.values = this.values(t, level === 88);
        return;
      case 'SIGN':
      case 'LEADING':
      case 'TRAILING': {
        once(e.sign);
        let pos = t;
        if (w === 'SIGN') {
          this.optional('IS');
          pos = this.next();
        }
        if (pos.upper !== 'LEADING' && pos.upper !== 'TRAILING') throw this.error(pos, 'expected LEADING or TRAILING');
        const separate = this.optional('SEPARATE');
        if (separate) this.optional('CHARACTER');
        e.sign = { position: pos.upper === 'LEADING' ? 'leading' : 'trailing', separate, token: t };
        return;
      }
      case 'SYNC':
      case 'SYNCHRONIZED':
        once(e.sync);
        if (!this.optional('LEFT')) this.optional('RIGHT');
        e.sync = true;
        return;
      case 'JUST':
      case 'JUSTIFIED':
        once(e.justifiedRight);
        this.optional('RIGHT');
        e.justifiedRight = true;
        return;
      case 'BLANK': {
        once(e.blankWhenZero);
        this.optional('WHEN');
        const z = this.next();
        if (z.upper !== 'ZERO' && z.upper !== 'ZEROS' && z.upper !== 'ZEROES') throw this.error(z, 'expected BLANK WHEN ZERO');
        e.blankWhenZero = true;
        return;
      }
      case 'EXTERNAL':
      case 'GLOBAL':
      case 'VOLATILE':
        return;
      case 'GROUP-USAGE': {
        this.optional('IS');
        const n = this.next();
        if (n.upper !== 'NATIONAL') throw this.error(n, 'expected GROUP-USAGE NATIONAL');
        return;
      }
      case 'DATE': {
        // DATE FORMAT IS pattern (millennium language extensions): documentation only.
        if (!this.optional('FORMAT')) throw this.error(this.peek() ?? t, 'expected DATE FORMAT');
        this.optional('IS');
        this.next();
        return;
      }
      case 'RENAMES': {
        const from = this.qualifiedName('the first item renamed');
        let thru: QualifiedName | undefined;
        if (this.optional('THRU') || this.optional('THROUGH')) thru = this.qualifiedName('the last item renamed');
        e.renames = { from, thru };
        return;
      }
      default: {
        const usage = USAGE_WORDS[w];
        if (usage) {
          once(e.usage);
          e.usage = { usage, token: t };
          return;
        }
        throw this.error(t, `expected a clause or "." but found ${describe(t)}`);
      }
    }
  }

  private occurs(at: Token): NonNullable<RawEntry['occurs']> {
    const first = this.next();
    if (first.upper === 'UNBOUNDED') {
      throw copybookError('BANYAN_ERR_COPYBOOK_UNSUPPORTED', first, first.text, 'OCCURS UNBOUNDED is not supported');
    }
    const a = this.integer(first, 'OCCURS needs a number of times');
    let min = a;
    let max = a;
    let hasTo = false;
    if (this.optional('TO')) {
      const second = this.next();
      if (second.upper === 'UNBOUNDED') {
        throw copybookError('BANYAN_ERR_COPYBOOK_UNSUPPORTED', second, second.text, 'OCCURS ... TO UNBOUNDED is not supported');
      }
      max = this.integer(second, 'OCCURS m TO n needs a number after TO');
      hasTo = true;
      if (max < min) throw this.error(second, `OCCURS ${min} TO ${max}: the maximum is below the minimum`);
    }
    this.optional('TIMES');
    let dependingOn: QualifiedName | undefined;
    if (this.optional('DEPENDING')) {
      this.optional('ON');
      dependingOn = this.qualifiedName('the name of the OCCURS DEPENDING ON counter');
      // `OCCURS n DEPENDING ON x` without TO (accepted by Cobrix and Micro Focus): 0 to n.
      if (!hasTo) min = 0;
    }
    if (max === 0 && !dependingOn) throw this.error(first, 'a table must occur at least once');
    const keys: Array<{ order: 'ascending' | 'descending'; fields: string[] }> = [];
    const indexedBy: string[] = [];
    for (;;) {
      const k = this.peek();
      if (!k || k.kind !== 'word') break;
      if (k.upper === 'ASCENDING' || k.upper === 'DESCENDING') {
        this.i++;
        this.optional('KEY');
        this.optional('IS');
        keys.push({ order: k.upper === 'ASCENDING' ? 'ascending' : 'descending', fields: this.nameList('a key name') });
      } else if (k.upper === 'INDEXED') {
        this.i++;
        this.optional('BY');
        indexedBy.push(...this.nameList('an index name'));
      } else break;
    }
    return { min, max, dependingOn, indexedBy, keys, token: at };
  }

  private values(at: Token, multiple: boolean): NonNullable<RawEntry['values']> {
    const out: NonNullable<RawEntry['values']> = [];
    for (;;) {
      const v = this.valueItem();
      if (!v) break;
      if (this.optional('THRU') || this.optional('THROUGH')) {
        const to = this.valueItem();
        if (!to) throw this.error(this.peek() ?? at, 'expected a literal after THRU');
        out.push({ from: v, to });
      } else out.push(v);
      if (!multiple) break;
    }
    if (out.length === 0) throw this.error(this.peek() ?? at, 'expected a literal or figurative constant after VALUE');
    if (multiple) {
      // 88-level: WHEN SET TO FALSE IS literal (IBM extension) is documentation for SET statements.
      if (this.optional('WHEN')) {
        this.optional('SET');
        this.optional('TO');
        this.optional('FALSE');
        this.optional('IS');
        this.valueItem();
      }
    }
    return out;
  }

  private valueItem(): RawValue | undefined {
    const t = this.peek();
    if (!t) return undefined;
    let all = false;
    let v = t;
    if (t.kind === 'word' && t.upper === 'ALL') {
      all = true;
      this.i++;
      const n = this.peek();
      if (!n) throw this.error(t, 'expected a literal after ALL');
      v = n;
    }
    if (v.kind === 'literal') {
      this.i++;
      const kind = v.prefix === 'X' ? 'hex' : v.prefix === 'N' || v.prefix === 'NX' ? 'national' : 'alphanumeric';
      if (kind === 'hex' && !/^([0-9A-Fa-f]{2})*$/.test(v.text)) throw this.error(v, 'a hexadecimal literal needs an even number of hex digits');
      return { kind, text: v.text, all, token: v };
    }
    if (v.kind === 'number') {
      this.i++;
      return { kind: 'numeric', text: normaliseNumber(v.text), all, token: v };
    }
    if (v.kind === 'word' && FIGURATIVE[v.upper]) {
      this.i++;
      return { kind: 'figurative', text: FIGURATIVE[v.upper], all, token: v };
    }
    if (all) throw this.error(v, 'expected a literal after ALL');
    return undefined;
  }

  private qualifiedName(what: string): QualifiedName {
    const first = this.expectWord(what);
    const names = [first.upper];
    while (this.optional('OF') || this.optional('IN')) names.push(this.expectWord('a qualifying name').upper);
    return { names, token: first };
  }

  private nameList(what: string): string[] {
    const names: string[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'word' || CLAUSE_WORDS.has(t.upper)) break;
      names.push(t.upper);
      this.i++;
    }
    if (names.length === 0) throw this.error(this.peek() ?? this.tokens[this.i - 1], `expected ${what}`);
    return names;
  }

  private integer(t: Token, detail: string): number {
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw this.error(t, detail);
    return Number(t.text);
  }

  private expectWord(what: string): Token {
    const t = this.next();
    if (t.kind !== 'word') throw this.error(t, `expected ${what}`);
    return t;
  }

  private optional(word: string): boolean {
    const t = this.peek();
    if (t && t.kind === 'word' && t.upper === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (!t) {
      const last = this.tokens[this.tokens.length - 1];
      throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', last, last.text, 'unexpected end of the copybook');
    }
    this.i++;
    return t;
  }

  private error(t: Token, detail: string) {
    return copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', t, t.kind === 'literal' ? `'${t.text}'` : t.text, detail);
  }
}

function describe(t: Token): string {
  if (t.kind === 'literal') return `the literal '${t.text}'`;
  if (t.kind === 'number') return `the number ${t.text}${/^\d{1,2}$/.test(t.text) ? ' (a missing "." before this level number?)' : ''}`;
  return `"${t.text}"`;
}
