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

function bind(file: string, text: string, options: CheckOptions): { mapping?: BoundMapping; issues: ConfigIssue[] } {
  const checked = checkConfigText(file, text, recordMappingSchema, options);
  if (!checked.ok) return { issues: checked.issues };
  const config = checked.config.value;
  const source = checked.config.source;
  const issues: ConfigIssue[] = [];
  const at = (path: PathSegment[], rule: string, message: string, atKey = false) => issues.push(source.issueAt(path, rule, message, atKey));

  const baseDir = options.baseDir ?? dirname(resolve(file));
  const copybookFile = resolve(baseDir, config.copybook);
  const copybookDir = config.copybook_dir ? resolve(baseDir, config.copybook_dir) : dirname(copybookFile);
  let copybook: CopybookLayout;
  try {
    copybook = (options.loadCopybook ?? loadCopybook)(copybookFile, {
      copybookDir,
      binaryEndianness: config.binary_byte_order,
      floatFormat: config.float_format,
      floatEndianness: config.binary_byte_order,
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const unreadable = e.code === 'ENOENT' || /ENOENT|no such file/i.test(e.message ?? '');
    at(['copybook'], unreadable ? 'copybook-unreadable' : 'copybook-syntax', `${copybookFile}: ${firstLine(e.message ?? String(err))}`);
    return { issues };
  }

  const record = pickRecord(copybook, config.record, (message) => at(['record'], 'unknown-record', message));
  if (!record) return { issues };

  const field = (ref: string, path: PathSegment[], atKey = false): Field | undefined => {
    const r = resolveField(record, ref);
    if (!r.ok) at(path, 'unknown-field', r.message, atKey);
    return r.ok ? r.field : undefined;
  };
  // `key` may be a scalar or a list: issues point at the list item, or at `key` itself.
  const keyOf = (refs: readonly string[], path: PathSegment[], rec: RecordLayout, scalar = false): string[] =>
    refs.flatMap((ref, i) => {
      const where = scalar ? path : [...path, i];
      const r = resolveField(rec, ref);
      if (!r.ok) {
        at(where, 'unknown-field', r.message);
        return [];
      }
      if (r.field.kind === 'group' || isInsideTable(rec, r.field)) {
        at(where, 'key-not-elementary', `key field ${r.field.path} must be an elementary item outside any OCCURS table`);
        return [];
      }
      return [r.field.path];
    });
  const codePage = (name: string, path: PathSegment[]) => {
    try {
      getCodePage(name);
    } catch (err) {
      at(path, 'unknown-codepage', firstLine((err as Error).message));
    }
  };

  codePage(config.codepage, ['codepage']);
  const fieldCodePages = new Map<string, string>();
  for (const [ref, cp] of Object.entries(config.field_codepages)) {
    const f = field(ref, ['field_codepages', ref], true);
    codePage(cp, ['field_codepages', ref]);
    if (f) fieldCodePages.set(f.path, cp);
  }

  const keyRefs = config.key === undefined ? [] : Array.isArray(config.key) ? config.key : [config.key];
  const keyPaths = keyOf(keyRefs, ['key'], record, !Array.isArray(config.key));

  const renames = new Map<string, string>();
  for (const [ref, name] of Object.entries(config.rename)) {
    const f = field(ref, ['rename', ref], true);
    if (f) renames.set(f.path, name);
  }
  const masks = new Map<string, RecordMappingConfig['mask'][string]>();
  for (const [ref, mask] of Object.entries(config.mask)) {
    const f = field(ref, ['mask', ref], true);
    if (f) masks.set(f.path, mask);
  }

  for (const table of Object.keys(config.occurs_mappings)) {
    const f = field(table, ['occurs_mappings', table], true);
    if (f && !f.occurs?.dependingOn) at(['occurs_mappings', table], 'not-a-variable-table', `${f.path} has no OCCURS DEPENDING ON`, true);
  }

  let segments: BoundSegments | undefined;
  if (config.segments) {
    const segField = field(config.segments.field, ['segments', 'field']);
    const byId = new Map<string, BoundSegmentCase>();
    config.segments.cases.forEach((c, i) => {
      const base: PathSegment[] = ['segments', 'cases', i];
      let caseRecord: RecordLayout | undefined;
      if (c.record) caseRecord = pickRecord(copybook, c.record, (m) => at([...base, 'record'], 'unknown-record', m));
      let branchPath: string | undefined;
      if (c.branch) {
        const b = field(c.branch, [...base, 'branch']);
        if (b && !b.redefines && !b.redefinedBy) at([...base, 'branch'], 'not-a-redefines', `${b.path} is not part of a REDEFINES`);
        else if (b) branchPath = b.path;
      }
      const keyPathsOfCase = c.key ? keyOf(c.key, [...base, 'key'], caseRecord ?? record) : undefined;
      const bound: BoundSegmentCase = { ids: c.ids, branchPath, record: caseRecord, topic: c.topic, keyPaths: keyPathsOfCase };
      for (const id of c.ids) byId.set(id.trimEnd(), bound);
    });
    if (segField) segments = { fieldPath: segField.path, otherwise: config.segments.otherwise, byId };
  }

  const redefines: BoundRedefinesRule[] = [];
  config.redefines.forEach((rule, i) => {
    const base: PathSegment[] = ['redefines', i];
    const target = field(rule.field, [...base, 'field']);
    const by = field(rule.by, [...base, 'by']);
    if (target && !target.redefines && !target.redefinedBy) {
      at([...base, 'field'], 'not-a-redefines', `${target.path} is not part of a REDEFINES`);
      return;
    }
    const cases = new Map<string, string>();
    for (const [value, ref] of Object.entries(rule.cases)) {
      const b = field(ref, [...base, 'cases', value]);
      if (b) cases.set(value, b.path);
    }
    if (!target || !by) return;
    const basePath = target.redefines ? siblingPath(target.path, target.redefines) : target.path;
    const baseField = resolveField(record, basePath);
    const branchPaths = baseField.ok ? [baseField.field.path, ...(baseField.field.redefinedBy ?? [])] : [target.path];
    for (const [value, p] of cases) {
      if (!branchPaths.includes(p)) at([...base, 'cases', value], 'not-a-redefines', `${p} is not a branch of the REDEFINES of ${branchPaths[0]}`);
    }
    redefines.push({ branchPaths, byPath: by.path, cases, otherwise: rule.otherwise });
  });

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
