/**
 * Finds keys that occur more than once in one JSON object. JSON.parse cannot: it keeps the last
 * value and drops the others (ECMA-262 JSON.parse; RFC 8259 section 4 only says names SHOULD be
 * unique), and pino writes child bindings and call fields as text, so `pid` from the base and `pid`
 * from a call both reach the line.
 *
 * Grammar scanned (RFC 8259): value = object / array / string / number / true / false / null;
 * object = "{" [ string ":" value *( "," string ":" value ) ] "}". The text must be valid JSON:
 * anything else throws.
 */

/** Repeated keys of every object in `text`, as JSON-pointer-like paths ("/err/code"), in text order. */
export function repeatedJsonKeys(text: string): string[] {
  const scanner = new Scanner(text);
  const repeated: string[] = [];
  scanner.value('', repeated);
  scanner.skipSpace();
  if (scanner.pos !== text.length) scanner.fail('text after the JSON value');
  return repeated;
}

class Scanner {
  pos = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  value(path: string, repeated: string[]): void {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') this.object(path, repeated);
    else if (c === '[') this.array(path, repeated);
    else if (c === '"') this.string();
    else this.literal();
  }

  object(path: string, repeated: string[]): void {
    this.pos++; // {
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      if (seen.has(key)) repeated.push(`${path}/${key}`);
      seen.add(key);
      this.expect(':');
      this.value(`${path}/${key}`, repeated);
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else return this.expect('}');
    }
  }

  array(path: string, repeated: string[]): void {
    this.pos++; // [
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(`${path}/${i}`, repeated);
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else return this.expect(']');
    }
  }

  /** A string token, decoded by JSON.parse so escapes in keys compare as the parsed keys do. */
  string(): string {
    if (this.text[this.pos] !== '"') this.fail('expected a string');
    const start = this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    if (this.pos >= this.text.length) this.fail('unterminated string');
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  literal(): void {
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
  }

  expect(c: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== c) this.fail(`expected "${c}"`);
    this.pos++;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  fail(what: string): never {
    throw new SyntaxError(`${what} at ${this.pos} in ${this.text.slice(0, 200)}`);
  }
}
