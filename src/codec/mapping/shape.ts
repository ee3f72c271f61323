/**
 * Turns a decoded record (keys are COBOL names, as the compiled codec produces them) into the
 * event value a mapping asks for: output names (`names:` style, then explicit `rename:`), masks on
 * sensitive fields. And back: an event value's output names to COBOL names for the encoder.
 *
 * Built once per mapping as a tree mirroring the layout, so a record costs one walk and no name
 * computation.
 */
import type { DecodedRecord, DecodedValue } from '../compile/types.ts';
import type { Field, RecordLayout } from '../layout.ts';
import { compileMask, type MaskFunction } from './masking.ts';
import { applyNaming, type NamingStyle } from './naming.ts';
import type { MaskConfig } from './schema.ts';

export interface ShapeRules {
  readonly names: NamingStyle;
  /** Layout path -> output name. */
  readonly renames: ReadonlyMap<string, string>;
  /** Layout path -> mask. */
  readonly masks: ReadonlyMap<string, MaskConfig>;
  readonly maskHashKey?: string;
  /** Keys the layout does not name (kept fillers) pass through; off, they cost nothing per record. */
  readonly passUnknownKeys?: boolean;
}

export interface RecordShape {
  /** Decoded (COBOL names) -> event value (output names, masks applied). */
  toEvent(value: DecodedRecord): DecodedRecord;
  /** Event value (output names) -> decodable shape (COBOL names); masks cannot be undone and are not. */
  fromEvent(value: DecodedRecord): DecodedRecord;
  /** Output name path of a layout path (`REC.GROUP.FIELD` -> `group.field`), for keys and redaction. */
  outputPath(layoutPath: string): string;
}

export function compileRecordShape(record: RecordLayout, rules: ShapeRules): RecordShape {
  const root = buildNode(record.root, rules, true);
  const identity = rules.names === 'as-is' && rules.renames.size === 0 && rules.masks.size === 0;
  return {
    toEvent: identity ? (v) => v : generateToEvent(root, rules.passUnknownKeys ?? false),
    fromEvent: identity ? (v) => v : (v) => fromEvent(v, root) as DecodedRecord,
    outputPath(layoutPath) {
      const segments = layoutPath.split('.').slice(1);
      const out: string[] = [];
      let node: ShapeNode | undefined = root;
      for (const seg of segments) {
        node = node?.byCobol.get(seg);
        out.push(node ? node.outName : applyNaming(seg, rules.names));
      }
      return out.join('.');
    },
  };
}

interface ShapeNode {
  readonly outName: string;
  readonly isGroup: boolean;
  /** Part of a REDEFINES (the redefined item or a redefining one): a rule may leave it out. */
  readonly optional: boolean;
  readonly mask?: MaskFunction;
  readonly byCobol: Map<string, ShapeNode>;
  readonly byOutput: Map<string, { cobol: string; node: ShapeNode }>;
}

function buildNode(field: Field, rules: ShapeRules, isRoot = false): ShapeNode {
  const outName = isRoot ? field.name : (rules.renames.get(field.path) ?? applyNaming(field.name, rules.names));
  const mask = rules.masks.get(field.path);
  const node: ShapeNode = {
    outName,
    isGroup: field.kind === 'group',
    optional: field.redefines !== undefined || field.redefinedBy !== undefined,
    mask: mask ? compileMask(mask, rules.maskHashKey) : undefined,
    byCobol: new Map(),
    byOutput: new Map(),
  };
  if (field.kind === 'group') {
    for (const child of field.children) {
      if (child.isFiller) continue;
      const c = buildNode(child, rules);
      node.byCobol.set(child.name, c);
      node.byOutput.set(c.outName, { cobol: child.name, node: c });
    }
  }
  return node;
}

/**
 * Generates the decoded -> event function once per mapping: one function per group that reads each
 * COBOL key and writes the output key directly (no per-record name lookups), masks called in place,
 * OCCURS arrays mapped element by element. The generated code holds only property names from the
 * layout and mapping, quoted with JSON.stringify.
 */
function generateToEvent(root: ShapeNode, passUnknownKeys: boolean): (v: DecodedRecord) => DecodedRecord {
  const masks: MaskFunction[] = [];
  const known: Set<string>[] = [];
  const sources: string[] = [];
  // Converts one child's value: a mask, a nested group (object or OCCURS array of objects) or as is.
  const convert = (child: ShapeNode, x: string): string => {
    if (child.mask) {
      const m = `m[${masks.push(child.mask) - 1}]`;
      return `(Array.isArray(${x}) ? ${x}.map((e) => ${m}(e)) : ${m}(${x}))`;
    }
    if (!child.isGroup) return x;
    const g = gen(child);
    return `(${x} === null || ${x} === undefined ? ${x} : Array.isArray(${x}) ? ${x}.map((e) => (e === null ? null : ${g}(e))) : ${g}(${x}))`;
  };
  const gen = (node: ShapeNode): string => {
    const name = `g${sources.length}`;
    sources.push('');
    // Items that are always decoded go in one object literal (V8 builds it with a single map);
    // REDEFINES branches, which a rule may leave out, are added only when present.
    const always: string[] = [];
    const optional: string[] = [];
    for (const [cobol, child] of node.byCobol) {
      const key = JSON.stringify(cobol);
      const out = JSON.stringify(child.outName);
      if (child.optional) optional.push(`  x = v[${key}];`, `  if (x !== undefined) o[${out}] = ${convert(child, 'x')};`);
      else always.push(`    ${out}: ${child.isGroup || child.mask ? convert(child, `v[${key}]`) : `v[${key}]`},`);
    }
    const lines = [`function ${name}(v) {`, '  let x;', '  const o = {', ...always, '  };', ...optional];
    if (passUnknownKeys) {
      const k = known.push(new Set(node.byCobol.keys())) - 1;
      lines.push(`  for (const key in v) if (!k[${k}].has(key)) o[key] = v[key];`);
    }
    lines.push('  return o;', '}');
    sources[Number(name.slice(1))] = lines.join('\n');
    return name;
  };
  const entry = gen(root);
  const factory = new Function('m', 'k', `${sources.join('\n')}\nreturn ${entry};`) as (
    m: MaskFunction[],
    k: Set<string>[],
  ) => (v: DecodedRecord) => DecodedRecord;
  return factory(masks, known);
}

function fromEvent(value: DecodedValue, node: ShapeNode): DecodedValue {
  if (Array.isArray(value)) return value.map((v) => fromEvent(v, node));
  if (!isRecord(value)) return value;
  const out: DecodedRecord = {};
  for (const key of Object.keys(value)) {
    const child = node.byOutput.get(key);
    if (child) out[child.cobol] = fromEvent(value[key]!, child.node);
    else out[key] = value[key]!;
  }
  return out;
}

function isRecord(value: DecodedValue): value is DecodedRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
