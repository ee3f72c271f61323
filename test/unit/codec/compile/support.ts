/**
 * Test support for the codec compiler: a cp037 code page test double (the real tables live in
 * src/codec/codepages and are tested there against the JDK) and a small builder that lays fields
 * out the way the copybook parser does (sequential offsets, REDEFINES overlaid, OCCURS at max).
 */
import type {
  AlphanumericField,
  BinaryField,
  DbcsField,
  ElementaryField,
  Field,
  FloatField,
  GroupField,
  NationalField,
  NumericEditedField,
  Occurs,
  PackedDecimalField,
  RecordLayout,
  ZonedDecimalField,
} from '../../../../src/codec/layout.ts';
import type { CodePage } from '../../../../src/codec/compile/index.ts';

function singleByte(name: string, table: string, spaceByte: number): CodePage {
  const byteToChar = Array.from(table);
  const charToByte = new Map<string, number>();
  byteToChar.forEach((c, b) => {
    if (!charToByte.has(c)) charToByte.set(c, b);
  });
  return {
    name,
    spaceByte,
    singleByte: true,
    byteToChar,
    charToByte,
    decode(bytes, start, end) {
      let s = '';
      for (let i = start; i < end; i++) s += byteToChar[bytes[i]];
      return s;
    },
    encode(text, out, start, length) {
      if (text.length > length) throw new Error(`text needs ${text.length} bytes, field has ${length}`);
      for (let i = 0; i < length; i++) {
        if (i >= text.length) {
          out[start + i] = spaceByte;
          continue;
        }
        const b = charToByte.get(text[i]);
        if (b === undefined) throw new Error(`unmappable ${text[i]}`);
        out[start + i] = b;
      }
    },
  };
}

/** cp037 as Python's codec maps it (a test double; the JDK differs on 0x15 only). */
export const cp037: CodePage = singleByte('cp037', "\u0000\u0001\u0002\u0003\u009c\t\u0086\u007f\u0097\u008d\u008e\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u009d\u0085\b\u0087\u0018\u0019\u0092\u008f\u001c\u001d\u001e\u001f\u0080\u0081\u0082\u0083\u0084\n\u0017\u001b\u0088\u0089\u008a\u008b\u008c\u0005\u0006\u0007\u0090\u0091\u0016\u0093\u0094\u0095\u0096\u0004\u0098\u0099\u009a\u009b\u0014\u0015\u009e\u001a \u00a0\u00e2\u00e4\u00e0\u00e1\u00e3\u00e5\u00e7\u00f1\u00a2.<(+|&\u00e9\u00ea\u00eb\u00e8\u00ed\u00ee\u00ef\u00ec\u00df!$*);\u00ac-/\u00c2\u00c4\u00c0\u00c1\u00c3\u00c5\u00c7\u00d1\u00a6,%_>?\u00f8\u00c9\u00ca\u00cb\u00c8\u00cd\u00ce\u00cf\u00cc`:#@'=\"\u00d8abcdefghi\u00ab\u00bb\u00f0\u00fd\u00fe\u00b1\u00b0jklmnopqr\u00aa\u00ba\u00e6\u00b8\u00c6\u00a4\u00b5~stuvwxyz\u00a1\u00bf\u00d0\u00dd\u00de\u00ae^\u00a3\u00a5\u00b7\u00a9\u00a7\u00b6\u00bc\u00bd\u00be[]\u00af\u00a8\u00b4\u00d7{ABCDEFGHI\u00ad\u00f4\u00f6\u00f2\u00f3\u00f5}JKLMNOPQR\u00b9\u00fb\u00fc\u00f9\u00fa\u00ff\\\u00f7STUVWXYZ\u00b2\u00d4\u00d6\u00d2\u00d3\u00d50123456789\u00b3\u00db\u00dc\u00d9\u00da\u009f", 0x40);

/** ISO-8859-1 as an ASCII-data code page. */
export const latin1: CodePage = singleByte('latin1', Array.from({ length: 256 }, (_, b) => String.fromCharCode(b)).join(''), 0x20);

/** Bytes from a hex string ("F1 F2 C3" or "F1F2C3"). */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHexString(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** EBCDIC bytes of a text in cp037. */
export function ebcdic(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  cp037.encode(text, out, 0, text.length);
  return out;
}

// ---- layout builder -------------------------------------------------------------------------

type Spec = { build(prefix: string, level: number, offset: number, byName: Map<string, Field>): Field };
interface Common {
  occurs?: Omit<Occurs, 'min'> & { min?: number };
  redefines?: string;
  filler?: boolean;
}

function base(name: string, o: Common, prefix: string, level: number, offset: number) {
  return {
    name: o.filler ? 'FILLER' : name,
    path: prefix ? `${prefix}.${o.filler ? 'FILLER' : name}` : name,
    level,
    offset,
    isFiller: o.filler === true,
    line: 1,
    column: 1,
    ...(o.occurs ? { occurs: { min: o.occurs.min ?? o.occurs.max, ...o.occurs } } : {}),
  };
}

function leaf<T extends ElementaryField>(name: string, o: Common, make: (b: ReturnType<typeof base>) => T): Spec {
  return {
    build(prefix, level, offset, byName) {
      const f = make(base(name, o, prefix, level, offset));
      const withRedefines = o.redefines ? ({ ...f, redefines: byName.get(o.redefines)!.path } as T) : f;
      byName.set(name, withRedefines);
      return withRedefines;
    },
  };
}

export const x = (name: string, length: number, o: Common & { justifiedRight?: boolean } = {}): Spec =>
  leaf<AlphanumericField>(name, o, (b) => ({ ...b, kind: 'alphanumeric', category: 'X', length, picture: `X(${length})`, justifiedRight: o.justifiedRight }));

export const national = (name: string, characters: number, o: Common = {}): Spec =>
  leaf<NationalField>(name, o, (b) => ({ ...b, kind: 'national', characters, length: characters * 2, picture: `N(${characters})` }));

export const graphic = (name: string, characters: number, o: Common = {}): Spec =>
  leaf<DbcsField>(name, o, (b) => ({ ...b, kind: 'dbcs', characters, length: characters * 2, picture: `G(${characters})` }));

export interface NumOpts extends Common {
  scale?: number;
  signed?: boolean;
}

export const zoned = (name: string, digits: number, o: NumOpts & { sign?: 'leading' | 'trailing'; separate?: boolean } = {}): Spec =>
  leaf<ZonedDecimalField>(name, o, (b) => ({
    ...b,
    kind: 'zoned',
    digits,
    scale: o.scale ?? 0,
    signed: o.signed ?? false,
    signPosition: o.sign ?? 'trailing',
    signSeparate: o.separate ?? false,
    length: digits + (o.separate ? 1 : 0),
  }));

export const packed = (name: string, digits: number, o: NumOpts & { noNibble?: boolean } = {}): Spec =>
  leaf<PackedDecimalField>(name, o, (b) => ({
    ...b,
    kind: 'packed',
    digits,
    scale: o.scale ?? 0,
    signed: o.signed ?? false,
    length: o.noNibble ? Math.ceil(digits / 2) : Math.floor(digits / 2) + 1,
    ...(o.noNibble ? { unsignedNoNibble: true } : {}),
  }));

export const binary = (name: string, digits: number, o: NumOpts & { native?: boolean; little?: boolean; bytes?: number } = {}): Spec =>
  leaf<BinaryField>(name, o, (b) => {
    const bytes = (o.bytes ?? (digits <= 4 ? 2 : digits <= 9 ? 4 : digits <= 18 ? 8 : 16)) as BinaryField['bytes'];
    return { ...b, kind: 'binary', digits, scale: o.scale ?? 0, signed: o.signed ?? false, bytes, length: bytes, native: o.native ?? false, endianness: o.little ? 'little' : 'big' };
  });

export const float = (name: string, bytes: 4 | 8, o: Common & { ieee?: boolean } = {}): Spec =>
  leaf<FloatField>(name, o, (b) => ({ ...b, kind: 'float', bytes, length: bytes, format: o.ieee ? 'ieee754' : 'ibm-hex', endianness: 'big' }));

export const edited = (name: string, picture: string, o: NumOpts & { digits: number; blankWhenZero?: boolean }): Spec =>
  leaf<NumericEditedField>(name, o, (b) => {
    const expanded = picture.replace(/(.)\((\d+)\)/g, (_, c: string, n: string) => c.repeat(Number(n)));
    const length = expanded.replace(/[SVP]/g, '').length;
    return { ...b, kind: 'numeric-edited', picture, digits: o.digits, scale: o.scale ?? 0, signed: o.signed ?? false, length, decimalPointIsComma: false, blankWhenZero: o.blankWhenZero };
  });

export const group = (name: string, children: Spec[], o: Common = {}): Spec => ({
  build(prefix, level, offset, byName) {
    const b = base(name, o, prefix, level, offset);
    const built: Field[] = [];
    let cursor = offset;
    let length = 0;
    for (const c of children) {
      const probe = c.build(b.path, level + 5, cursor, byName);
      let f = probe;
      if (probe.redefines) {
        const target = built.find((t) => t.path === probe.redefines)!;
        f = c.build(b.path, level + 5, target.offset, byName);
      }
      built.push(f);
      const end = f.offset - offset + f.length * (f.occurs?.max ?? 1);
      if (!f.redefines) cursor = offset + Math.max(end, cursor - offset);
      length = Math.max(length, end);
    }
    const g: GroupField = { ...b, kind: 'group', children: built, length };
    const withRedefines = o.redefines ? ({ ...g, redefines: byName.get(o.redefines)!.path } as GroupField) : g;
    byName.set(name, withRedefines);
    return withRedefines;
  },
});

/** A 01 record from child specs, laid out sequentially. */
export function record(name: string, children: Spec[]): RecordLayout {
  const root = group(name, children).build('', 1, 0, new Map()) as GroupField;
  return { name, length: root.length, root, renames: [] };
}
