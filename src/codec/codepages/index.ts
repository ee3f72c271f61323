/**
 * Code pages for the copybook codec: `getCodePage(name)` returns a cached CodePage.
 *
 * EBCDIC pages are generated from the JDK's IBM charsets (scripts/codepages/, README.md here) and
 * registered with iconv-lite on first use. ASCII-side names (`ascii`, `latin1`, `cp1252`, `utf8`)
 * come from iconv-lite's built-ins (ascii: 0x00-0x7F only, as the JDK's US-ASCII).
 *
 * Accepted spellings: `cp037`, `CP037`, `IBM037`, `ibm-037`, `037`, `IBM01140`, `cp01140`,
 * `ccsid1140`, `IBM-Thai`, `ebcdic-cp-us`... (case and punctuation are ignored).
 */
import iconv from 'iconv-lite';
import type { CodePage } from './code-page.ts';
import { CodePageErrors } from './errors.ts';
import { registerWithIconv } from './iconv-registry.ts';
import { SingleByteCodePage } from './single-byte.ts';
import { EBCDIC_TABLES } from './tables/index.ts';
import { Utf8CodePage } from './utf8.ts';

export type { CodePage } from './code-page.ts';
export type { CodePageTable } from './table.ts';
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
    page = createCodePage(canonical);
    byCanonicalName.set(canonical, page);
  }
  byRawName.set(name, page);
  return page;
}

/** Every canonical name getCodePage accepts. */
export function codePageNames(): string[] {
  return [...EBCDIC_TABLES.keys(), ...ASCII_FAMILY];
}

/** True for the EBCDIC pages (space 0x40, zoned sign in the zone nibble as C/D/F). */
export function isEbcdic(page: CodePage): boolean {
  return EBCDIC_TABLES.has(page.name);
}

/** The canonical Banyan name for a spelling, or undefined when it names no known code page. */
export function canonicalCodePageName(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[^0-9a-z]/g, '');
  const alias = ALIASES.get(key);
  if (alias) return alias;
  const numbered = /^(?:cp|ibm|ccsid)?0*(\d+)$/.exec(key);
  if (numbered) {
    const candidate = `cp${numbered[1].padStart(3, '0')}`;
    if (EBCDIC_TABLES.has(candidate)) return candidate;
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

function createCodePage(canonical: string): CodePage {
  const table = EBCDIC_TABLES.get(canonical);
  if (table) {
    registerWithIconv(table);
    return new SingleByteCodePage(table);
  }
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
