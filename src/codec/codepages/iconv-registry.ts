/**
 * Registers Banyan's EBCDIC tables with iconv-lite as custom single-byte encodings (its `_sbcs` codec
 * with a 256-character `chars` table), so `iconv.decode(buf, 'cp037')` / `iconv.encode(s, 'cp1140')`
 * work anywhere in the process, including in iconv-lite's streaming API.
 *
 * iconv-lite builds its encoder as the inverse of `chars` with the LAST byte winning, and has no
 * notion of encode-only mappings. The JDK (our reference) picks differently for a few characters
 * (IBM037: U+000A -> 0x15 although 0x25 also decodes to U+000A; U+0085 -> 0x15), so after creating
 * each codec we set those entries of its encode table to the JDK's bytes. Registration is explicit
 * (called by getCodePage on first use), never an import side effect.
 */
import iconv from 'iconv-lite';
import type { CodePageTable } from './table.ts';

const registered = new Set<string>();

/** Registers one table under its Banyan name (idempotent). Throws if iconv-lite already has the name. */
export function registerWithIconv(table: CodePageTable): void {
  if (registered.has(table.name)) return;
  // getCodec() loads iconv-lite's built-in encodings table on first use; make sure it exists.
  if (!iconv.encodings) iconv.getCodec('utf8');
  const encodings = iconv.encodings;
  if (!encodings) throw new Error('iconv-lite did not load its encodings table');
  if (table.name in encodings) throw new Error(`iconv-lite already defines an encoding named ${table.name}`);
  encodings[table.name] = { type: '_sbcs', chars: table.chars };
  const codec = iconv.getCodec(table.name);
  const encodeBuf: unknown = codec.encodeBuf;
  if (!(encodeBuf instanceof Uint8Array) || encodeBuf.length !== 65536) {
    throw new Error(`iconv-lite's SBCS codec for ${table.name} has no 64K encode table (iconv-lite internals changed?)`);
  }
  const substitute = iconv.defaultCharSingleByte.charCodeAt(0);
  // Unmapped bytes carry U+FFFD in `chars`; U+FFFD itself must not encode to one of them.
  encodeBuf[0xfffd] = substitute;
  for (const [unit, b] of table.encodeOverrides) encodeBuf[unit] = b < 0 ? substitute : b;
  // Aliases iconv-lite callers are likely to write (it lower-cases and strips punctuation itself):
  // ibm037, ibm01140, cp01140. Names iconv-lite already has are left alone.
  const number = table.name.slice(2);
  for (const alias of [`ibm${number}`, `ibm${number.padStart(5, '0')}`, `cp${number.padStart(5, '0')}`]) {
    if (!(alias in encodings)) encodings[alias] = table.name;
  }
  registered.add(table.name);
}
