/**
 * Code pages for the copybook codec: `getCodePage(name)` returns a cached CodePage.
 *
 * EBCDIC pages are generated from the JDK's IBM charsets (scripts/codepages/, README.md here); the
 * single-byte ones are registered with iconv-lite on first use. Mixed SBCS/DBCS pages (cp930, cp933,
 * cp935, cp937, cp939, cp1364) are CodePages too (SO/SI runs inside PIC X); `getDbcsCodePage` gives
 * the pure double-byte side for PIC G fields (cp300, cp834, or the DBCS part of a mixed page). ASCII-side names (`ascii`, `latin1`, `cp1252`, `utf8`)
 * come from iconv-lite's built-ins (ascii: 0x00-0x7F only, as the JDK's US-ASCII).
 *
 * Accepted spellings: `cp037`, `CP037`, `IBM037`, `ibm-037`, `037`, `IBM01140`, `cp01140`,
 * `ccsid1140`, `IBM-Thai`, `ebcdic-cp-us`... (case and punctuation are ignored).
 */
import iconv from 'iconv-lite';
import type { CodePage } from './code-page.ts';
import { DBCS_TABLES } from './dbcs-tables/index.ts';
import { DoubleByteCodePage, MixedCodePage, type DbcsCodePage } from './double-byte.ts';
import { CodePageErrors } from './errors.ts';
import { registerWithIconv } from './iconv-registry.ts';
import { SingleByteCodePage } from './single-byte.ts';
import { EBCDIC_TABLES } from './tables/index.ts';
import { Utf8CodePage } from './utf8.ts';

export type { CodePage } from './code-page.ts';
export type { CodePageTable } from './table.ts';
export type { DbcsCodePage } from './double-byte.ts';
export { CodePageErrors } from './errors.ts';

/** Returns the code page for `name` (any accepted spelling); the same object on every call. */
export function getCodePage(name: string): CodePage {
  const hit = byRawName.get(name);
  if (hit) return hit;
  const canonical = canonicalCodePageName(name);
  if (canonical === undefined) {
    throw new CodePageErrors.BANYAN_ERR_CODEPAGE_UNKNOWN(name, codePageNames().join(', '));
  }
  let page = byCanonicalName.get(canonical);
  if (!page) {
    if (DBCS_TABLES.get(canonical)?.mixed === false) {
      throw new CodePageErrors.BANYAN_ERR_CODEPAGE_KIND(canonical, 'pure double-byte (PIC G / DISPLAY-1 fields): use getDbcsCodePage');
    }
    page = createCodePage(canonical);
    byCanonicalName.set(canonical, page);
  }
  byRawName.set(name, page);
  return page;
}

/** Every canonical name getCodePage accepts. */
export function codePageNames(): string[] {
  const mixed = [...DBCS_TABLES.values()].filter((t) => t.mixed).map((t) => t.name);
  return [...EBCDIC_TABLES.keys(), ...mixed, ...ASCII_FAMILY];
}

/** Every canonical name getDbcsCodePage accepts (pure DBCS pages and mixed pages' DBCS side). */
export function dbcsCodePageNames(): string[] {
  return [...DBCS_TABLES.keys()];
}

/**
 * The double-byte code page for PIC G / DISPLAY-1 fields: `cp300` (Japanese), `cp834` (Korean), or
 * the double-byte side of a mixed page (`cp930`, `cp939` = cp300's table, `cp933`, `cp935`, `cp937`,
 * `cp1364`), so a mapping can name the same page for its PIC X and PIC G fields. Cached.
 */
export function getDbcsCodePage(name: string): DbcsCodePage {
  const canonical = canonicalCodePageName(name);
  const table = canonical === undefined ? undefined : DBCS_TABLES.get(canonical);
  if (!table) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_UNKNOWN(name, dbcsCodePageNames().join(', '));
  let page = dbcsByName.get(table.name);
  if (!page) {
    page = new DoubleByteCodePage(table);
    dbcsByName.set(table.name, page);
  }
  return page;
}

/** True for the EBCDIC pages (space 0x40, zoned sign in the zone nibble as C/D/F). */
export function isEbcdic(page: CodePage): boolean {
  return EBCDIC_TABLES.has(page.name) || DBCS_TABLES.has(page.name);
}

/** The canonical Banyan name for a spelling, or undefined when it names no known code page. */
export function canonicalCodePageName(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[^0-9a-z]/g, '');
  const alias = ALIASES.get(key);
  if (alias) return alias;
  const numbered = /^(?:cp|ibm|ccsid)?0*(\d+)$/.exec(key);
  if (numbered) {
    const candidate = `cp${numbered[1].padStart(3, '0')}`;
    if (EBCDIC_TABLES.has(candidate) || DBCS_TABLES.has(candidate)) return candidate;
    if (candidate === 'cp1252') return 'cp1252';
  }
  return undefined;
}

const ASCII_FAMILY = ['ascii', 'latin1', 'cp1252', 'utf8'] as const;

const ALIASES: ReadonlyMap<string, string> = new Map([
  ['ascii', 'ascii'],
  ['usascii', 'ascii'],
  ['latin1', 'latin1'],
  ['iso88591', 'latin1'],
  ['iso8859', 'latin1'],
  ['windows1252', 'cp1252'],
  ['utf8', 'utf8'],
  ['ibmthai', 'cp838'],
  ['ebcdic', 'cp037'],
  ['ebcdiccpus', 'cp037'],
]);

const byRawName = new Map<string, CodePage>();
const byCanonicalName = new Map<string, CodePage>();
const dbcsByName = new Map<string, DbcsCodePage>();

function createCodePage(canonical: string): CodePage {
  const table = EBCDIC_TABLES.get(canonical);
  if (table) {
    registerWithIconv(table);
    return new SingleByteCodePage(table);
  }
  const mixed = DBCS_TABLES.get(canonical);
  if (mixed) return new MixedCodePage(mixed);
  if (canonical === 'utf8') return new Utf8CodePage();
  if (canonical === 'ascii') {
    // The JDK's US-ASCII: 0x80-0xFF are not characters. (Node's and iconv-lite's 'ascii' would
    // silently strip the high bit or read latin1.)
    const chars = Array.from({ length: 256 }, (_, b) => (b < 0x80 ? String.fromCharCode(b) : '\uFFFD')).join('');
    const unmapped = Array.from({ length: 128 }, (_, i) => 0x80 + i);
    return new SingleByteCodePage({ name: 'ascii', chars, unmapped, encodeOverrides: [] });
  }
  // latin1, cp1252: iconv-lite's built-in tables, read one byte at a time.
  const chars = Array.from({ length: 256 }, (_, b) => iconv.decode(Buffer.of(b), canonical)).join('');
  const unmapped = Array.from(chars).flatMap((c, b) => (c === '\uFFFD' ? [b] : []));
  return new SingleByteCodePage({ name: canonical, chars, unmapped, encodeOverrides: [] });
}
