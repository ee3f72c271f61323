/**
 * Loading and checking a record mapping against its copybook. `check(file, text)` returns every
 * problem as a ConfigIssue (file:line:col, rule) so `banyan validate` can list them all;
 * `loadRecordMapping(file)` returns the bound mapping or throws ConfigError with the same issues.
 *
 * Rules beyond the schema:
 * - `copybook-unreadable` / `copybook-syntax`: the copybook cannot be read or parsed.
 * - `unknown-record`: `record:` (or a segment's `record:`) names no 01 level of the copybook.
 * - `unknown-field`: a field named anywhere in the mapping is not in the record (or is ambiguous).
 * - `key-not-elementary`: an entity key field is a group or sits inside an OCCURS table.
 * - `not-a-redefines`: a segment `branch` or a `redefines` case names a field that is not part of a REDEFINES.
 * - `unknown-codepage`: a code page name the codec does not know.
 * - `not-a-variable-table`: an `occurs_mappings` entry names a field without OCCURS DEPENDING ON.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadCopybook } from '../copybook/index.ts';
import { getCodePage } from '../codepages/index.ts';
import type { ParseOptions } from '../copybook/options.ts';
import type { CopybookLayout, Field, RecordLayout } from '../layout.ts';
import { checkConfigText, type LoadOptions } from '../../config/load.ts';
import { ConfigError, type ConfigIssue } from '../../config/issues.ts';
import type { PathSegment, YamlSource } from '../../config/yaml-document.ts';
import { resolveField, isInsideTable } from './fields.ts';
import { recordMappingSchema, type RecordMappingConfig } from './schema.ts';

/** A mapping bound to its parsed copybook: every field reference resolved to a layout path. */
export interface BoundMapping {
  readonly file: string;
  readonly config: RecordMappingConfig;
  readonly copybookFile: string;
  readonly copybook: CopybookLayout;
  readonly record: RecordLayout;
  /** Resolved layout paths (`REC.GROUP.FIELD`) of the entity key fields. */
  readonly keyPaths: readonly string[];
  readonly renames: ReadonlyMap<string, string>;
  readonly masks: ReadonlyMap<string, RecordMappingConfig['mask'][string]>;
  readonly fieldCodePages: ReadonlyMap<string, string>;
  readonly segments?: BoundSegments;
  readonly redefines: readonly BoundRedefinesRule[];
  /** Paths named by masks: the pino redact paths for logs that carry decoded values. */
  readonly sensitivePaths: readonly string[];
}

export interface BoundSegments {
  readonly fieldPath: string;
  readonly otherwise: 'dlq' | 'skip' | 'all';
  readonly byId: ReadonlyMap<string, BoundSegmentCase>;
}

export interface BoundSegmentCase {
  readonly ids: readonly string[];
  /** Layout path of the REDEFINES branch kept for this segment. */
  readonly branchPath?: string;
  /** Another 01 record decoding this segment. */
  readonly record?: RecordLayout;
  readonly topic?: string;
  readonly keyPaths?: readonly string[];
}

export interface BoundRedefinesRule {
  /** Paths of every branch of the REDEFINES (the redefined item and its redefiners). */
  readonly branchPaths: readonly string[];
  readonly byPath: string;
  readonly cases: ReadonlyMap<string, string>;
  readonly otherwise: 'all' | 'none';
}

export interface CheckOptions extends LoadOptions {
  /** Directory `copybook:` is relative to; defaults to the mapping file's directory. */
  readonly baseDir?: string;
  /** Parses a copybook; defaults to the codec's parser (tests inject layouts). */
  readonly loadCopybook?: (file: string, options: { copybookDir?: string } & ParseOptions) => CopybookLayout;
}

/** Every issue of a mapping file (schema, then cross-checks with the copybook). Empty when valid. */
export function check(file: string, text: string, options: CheckOptions = {}): ConfigIssue[] {
  return bind(file, text, options).issues;
}

/** Reads, validates and binds a mapping file; throws ConfigError listing every issue. */
export function loadRecordMapping(file: string, options: CheckOptions = {}): BoundMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, line: 1, col: 1, rule: 'file-unreadable', message: (err as Error).message }]);
  }
  const { mapping, issues } = bind(file, text, options);
  if (!mapping || issues.length > 0) throw new ConfigError(issues);
  return mapping;
}

/**
 * Schema first, then one binder per mapping section against the copybook's record. Every binder
 * reports through the same context, so one run lists every issue of the file.
 */
function bind(file: string, text: string, options: CheckOptions): { mapping?: BoundMapping; issues: ConfigIssue[] } {
  const checked = checkConfigText(file, text, recordMappingSchema, options);
  if (!checked.ok) return { issues: checked.issues };
  const config = checked.config.value;
  const source = checked.config.source;
  const issues: ConfigIssue[] = [];
  const at: Report = (path, rule, message, atKey = false) => void issues.push(source.issueAt(path, rule, message, atKey));

  const baseDir = options.baseDir ?? dirname(resolve(file));
  const copybookFile = resolve(baseDir, config.copybook);
  const copybook = bindCopybook(config, baseDir, copybookFile, options, at);
  if (!copybook) return { issues };
  const record = pickRecord(copybook, config.record, (message) => at(['record'], 'unknown-record', message));
  if (!record) return { issues };

  const cx: BindContext = {
    copybook,
    record,
    at,
    field(ref, path, atKey = false) {
      const r = resolveField(record, ref);
      if (!r.ok) at(path, 'unknown-field', r.message, atKey);
      return r.ok ? r.field : undefined;
    },
  };
  const fieldCodePages = bindCodePages(config, cx);
  const keyPaths = bindKey(config.key, ['key'], record, cx);
  const renames = bindFieldMap(config.rename, 'rename', cx);
  const masks = bindFieldMap(config.mask, 'mask', cx);
  bindOccursMappings(config.occurs_mappings, cx);
  const segments = config.segments ? bindSegments(config.segments, cx) : undefined;
  const redefines = config.redefines.flatMap((rule, i) => bindRedefinesRule(rule, ['redefines', i], cx) ?? []);

  if (issues.length > 0) return { issues: sortByPosition(issues) };
  const mapping: BoundMapping = {
    file,
    config,
    copybookFile,
    copybook,
    record,
    keyPaths,
    renames,
    masks,
    fieldCodePages,
    segments,
    redefines,
    sensitivePaths: [...masks.keys()],
  };
  return { mapping, issues };
}

type Report = (path: PathSegment[], rule: string, message: string, atKey?: boolean) => void;

/** What every section binder shares: the copybook, the mapped record and where issues go. */
interface BindContext {
  readonly copybook: CopybookLayout;
  readonly record: RecordLayout;
  readonly at: Report;
  /** Resolves a field of the record, reporting `unknown-field` at `path` when it is not there (or is ambiguous). */
  field(ref: string, path: PathSegment[], atKey?: boolean): Field | undefined;
}

/**
 * The copybook error codes that mean "cannot be read" rather than "cannot be parsed": the codec's
 * own (copybook/errors.ts), and Node's ENOENT from an injected loader that reads files itself.
 */
const UNREADABLE_CODES: ReadonlySet<string> = new Set(['BANYAN_ERR_COPYBOOK_UNREADABLE', 'ENOENT']);

/**
 * `copybook`, `copybook_dir` (relative to `baseDir`, the mapping's directory; default: the
 * copybook's), `binary_byte_order`, `float_format`: the parsed copybook, or undefined after
 * reporting why not.
 */
function bindCopybook(config: RecordMappingConfig, baseDir: string, copybookFile: string, options: CheckOptions, at: Report): CopybookLayout | undefined {
  const copybookDir = config.copybook_dir ? resolve(baseDir, config.copybook_dir) : dirname(copybookFile);
  try {
    return (options.loadCopybook ?? loadCopybook)(copybookFile, {
      copybookDir,
      binaryEndianness: config.binary_byte_order,
      floatFormat: config.float_format,
      floatEndianness: config.binary_byte_order,
    });
  } catch (err) {
    const e = err as { code?: unknown; message?: string };
    const unreadable = typeof e.code === 'string' && UNREADABLE_CODES.has(e.code);
    at(['copybook'], unreadable ? 'copybook-unreadable' : 'copybook-syntax', `${copybookFile}: ${firstLine(e.message ?? String(err))}`);
    return undefined;
  }
}

/** `codepage` and `field_codepages`: every name known to the codec; the overrides by layout path. */
function bindCodePages(config: RecordMappingConfig, cx: BindContext): Map<string, string> {
  const known = (name: string, path: PathSegment[]) => {
    try {
      getCodePage(name);
    } catch (err) {
      cx.at(path, 'unknown-codepage', firstLine((err as Error).message));
    }
  };
  known(config.codepage, ['codepage']);
  const fieldCodePages = new Map<string, string>();
  for (const [ref, cp] of Object.entries(config.field_codepages)) {
    const f = cx.field(ref, ['field_codepages', ref], true);
    known(cp, ['field_codepages', ref]);
    if (f) fieldCodePages.set(f.path, cp);
  }
  return fieldCodePages;
}

/**
 * `key` (of the mapping or of a segment case): the layout paths of elementary fields outside any
 * OCCURS table. A scalar key's issues point at `key` itself, a list's at the item.
 */
function bindKey(key: string | readonly string[] | undefined, path: PathSegment[], rec: RecordLayout, cx: BindContext): string[] {
  if (key === undefined) return [];
  const refs = typeof key === 'string' ? [key] : key;
  return refs.flatMap((ref, i) => {
    const where = typeof key === 'string' ? path : [...path, i];
    const r = resolveField(rec, ref);
    if (!r.ok) {
      cx.at(where, 'unknown-field', r.message);
      return [];
    }
    if (r.field.kind === 'group' || isInsideTable(rec, r.field)) {
      cx.at(where, 'key-not-elementary', `key field ${r.field.path} must be an elementary item outside any OCCURS table`);
      return [];
    }
    return [r.field.path];
  });
}

/** `rename` and `mask`: field reference -> value, keyed by layout path. */
function bindFieldMap<V>(entries: Readonly<Record<string, V>>, section: 'rename' | 'mask', cx: BindContext): Map<string, V> {
  const out = new Map<string, V>();
  for (const [ref, value] of Object.entries(entries)) {
    const f = cx.field(ref, [section, ref], true);
    if (f) out.set(f.path, value);
  }
  return out;
}

/** `occurs_mappings`: each names a table with OCCURS DEPENDING ON. */
function bindOccursMappings(mappings: RecordMappingConfig['occurs_mappings'], cx: BindContext): void {
  for (const table of Object.keys(mappings)) {
    const f = cx.field(table, ['occurs_mappings', table], true);
    if (f && !f.occurs?.dependingOn) cx.at(['occurs_mappings', table], 'not-a-variable-table', `${f.path} has no OCCURS DEPENDING ON`, true);
  }
}

/** `segments`: the id field, and per case its record, REDEFINES branch, topic and key. */
function bindSegments(segments: NonNullable<RecordMappingConfig['segments']>, cx: BindContext): BoundSegments | undefined {
  const segField = cx.field(segments.field, ['segments', 'field']);
  const byId = new Map<string, BoundSegmentCase>();
  segments.cases.forEach((c, i) => {
    const base: PathSegment[] = ['segments', 'cases', i];
    const caseRecord = c.record ? pickRecord(cx.copybook, c.record, (m) => cx.at([...base, 'record'], 'unknown-record', m)) : undefined;
    let branchPath: string | undefined;
    if (c.branch) {
      const b = cx.field(c.branch, [...base, 'branch']);
      if (b && !b.redefines && !b.redefinedBy) cx.at([...base, 'branch'], 'not-a-redefines', `${b.path} is not part of a REDEFINES`);
      else if (b) branchPath = b.path;
    }
    const keyPaths = c.key ? bindKey(c.key, [...base, 'key'], caseRecord ?? cx.record, cx) : undefined;
    const bound: BoundSegmentCase = { ids: c.ids, branchPath, record: caseRecord, topic: c.topic, keyPaths };
    for (const id of c.ids) byId.set(id.trimEnd(), bound);
  });
  return segField ? { fieldPath: segField.path, otherwise: segments.otherwise, byId } : undefined;
}

/** One `redefines` rule: the REDEFINES it chooses in, the selecting field, and a branch per value. */
function bindRedefinesRule(rule: RecordMappingConfig['redefines'][number], base: PathSegment[], cx: BindContext): BoundRedefinesRule | undefined {
  const target = cx.field(rule.field, [...base, 'field']);
  const by = cx.field(rule.by, [...base, 'by']);
  if (target && !target.redefines && !target.redefinedBy) {
    cx.at([...base, 'field'], 'not-a-redefines', `${target.path} is not part of a REDEFINES`);
    return undefined;
  }
  const cases = new Map<string, string>();
  for (const [value, ref] of Object.entries(rule.cases)) {
    const b = cx.field(ref, [...base, 'cases', value]);
    if (b) cases.set(value, b.path);
  }
  if (!target || !by) return undefined;
  const basePath = target.redefines ? siblingPath(target.path, target.redefines) : target.path;
  const baseField = resolveField(cx.record, basePath);
  const branchPaths = baseField.ok ? [baseField.field.path, ...(baseField.field.redefinedBy ?? [])] : [target.path];
  for (const [value, p] of cases) {
    if (!branchPaths.includes(p)) cx.at([...base, 'cases', value], 'not-a-redefines', `${p} is not a branch of the REDEFINES of ${branchPaths[0]}`);
  }
  return { branchPaths, byPath: by.path, cases, otherwise: rule.otherwise };
}

/** Picks the record named `name`, or the only record. Reports through `report` otherwise. */
export function pickRecord(copybook: CopybookLayout, name: string | undefined, report: (message: string) => void): RecordLayout | undefined {
  const names = copybook.records.map((r) => r.name);
  if (name === undefined) {
    if (copybook.records.length === 1) return copybook.records[0];
    report(`copybook ${copybook.source} has ${copybook.records.length} records (${names.join(', ')}); name one with record:`);
    return undefined;
  }
  const found = copybook.records.find((r) => r.name.toUpperCase() === name.toUpperCase());
  if (!found) report(`record ${name} is not in copybook ${copybook.source} (records: ${names.join(', ')})`);
  return found;
}

/** `redefines` holds the name (or path) of the redefined sibling; turn it into a full path. */
function siblingPath(path: string, redefines: string): string {
  if (redefines.includes('.')) return redefines;
  const parts = path.split('.');
  parts[parts.length - 1] = redefines;
  return parts.join('.');
}

function sortByPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.col - b.col);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export type { YamlSource };
