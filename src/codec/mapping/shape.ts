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
    toEvent: identity ? (v) => v : (v) => toEvent(v, root) as DecodedRecord,
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
  readonly mask?: MaskFunction;
  readonly byCobol: Map<string, ShapeNode>;
  readonly byOutput: Map<string, { cobol: string; node: ShapeNode }>;
}

function buildNode(field: Field, rules: ShapeRules, isRoot = false): ShapeNode {
  const outName = isRoot ? field.name : (rules.renames.get(field.path) ?? applyNaming(field.name, rules.names));
  const mask = rules.masks.get(field.path);
  const node: ShapeNode = {
    outName,
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

function toEvent(value: DecodedValue, node: ShapeNode): DecodedValue {
  if (node.mask) return Array.isArray(value) ? value.map((v) => node.mask!(v) as DecodedValue) : (node.mask(value) as DecodedValue);
  if (Array.isArray(value)) return value.map((v) => toEvent(v, node));
  if (!isRecord(value)) return value;
  const out: DecodedRecord = {};
  for (const key of Object.keys(value)) {
    const child = node.byCobol.get(key);
    // Keys the layout does not name (kept fillers, generated columns) pass through unchanged.
    out[child ? child.outName : key] = child ? toEvent(value[key]!, child) : value[key]!;
  }
  return out;
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
