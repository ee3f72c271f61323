/**
 * The copybook parser: COBOL data description text -> `CopybookLayout` (src/codec/layout.ts).
 *
 *   parseCopybook(text, options)   text already in memory (COPY members from options.copybookDir)
 *   loadCopybook(file, options)    reads the file; COPY members also from the file's directory
 *
 * Pipeline: reference format -> logical text (source.ts) -> tokens (lexer.ts) -> COPY expansion
 * (copy.ts) -> entries (entries.ts) -> records with sizes and offsets (build.ts).
 * Every failure is a CopybookError (errors.ts) naming file, line, column and token.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CopybookLayout } from '../layout.ts';
import { buildRecords } from './build.ts';
import { expandCopies, normaliseTokens } from './copy.ts';
import { parseEntries } from './entries.ts';
import { copybookError } from './errors.ts';
import { tokenize } from './lexer.ts';
import { layoutAffectingOptions, resolveParseOptions, type ParseOptions } from './options.ts';
import { toLogicalSource } from './source.ts';

export type { ParseOptions } from './options.ts';
export { CopybookErrors, isCopybookError, type CopybookError } from './errors.ts';
export { formatLayoutTable } from './listing.ts';

export interface LoadCopybookOptions extends ParseOptions {
  /** Directory (or directories) searched for COPY members after the copybook's own directory. */
  readonly copybookDir?: string | readonly string[];
}

export function parseCopybook(text: string, options: ParseOptions = {}): CopybookLayout {
  return parseInternal(text, options, undefined);
}

export function loadCopybook(file: string, options: LoadCopybookOptions = {}): CopybookLayout {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw copybookError('BANYAN_ERR_COPYBOOK_UNREADABLE', { file, line: 1, column: 1 }, file, `cannot read copybook ${file}: ${(err as Error).message}`, err as Error);
  }
  return parseInternal(text, { ...options, source: options.source ?? file }, resolve(file));
}

function parseInternal(text: string, options: ParseOptions, absoluteFile: string | undefined): CopybookLayout {
  const o = resolveParseOptions(options);
  const sourceOptions = { format: o.format, debugLines: o.debugLines };
  const tokens = tokenize(toLogicalSource(o.source, text, sourceOptions));
  const expanded = expandCopies(tokens, {
    sourceOptions,
    copybookDirs: o.copybookDirs,
    baseDir: absoluteFile ? dirname(absoluteFile) : undefined,
  }, absoluteFile ? [absoluteFile] : []);
  if (expanded.length === 0) {
    throw copybookError('BANYAN_ERR_COPYBOOK_EMPTY', { file: o.source, line: 1, column: 1 }, '', 'the copybook has no data description entries');
  }
  const records = buildRecords(parseEntries(expanded), o);
  const extra = layoutAffectingOptions(o);
  const normalised = normaliseTokens(expanded) + (extra ? `\n${extra}` : '');
  const hash = createHash('sha256').update(normalised).digest('hex');
  return deepFreeze({ source: o.source, hash, records });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
