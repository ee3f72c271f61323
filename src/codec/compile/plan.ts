/**
 * Compiles a RecordLayout into a tree of closures: one decode and one encode function per item,
 * with every decision about the item (its codec, its output key, its position, its OCCURS count
 * source, its REDEFINES rule, the error policy) taken here, once. Decoding a record then only runs
 * the closures; nothing looks at the layout again.
 *
 * Positions: by default (Cobrix `variable_size_occurs` false) every item sits at the offset the
 * layout gives it, whatever an OCCURS DEPENDING ON count says. With `variableSizeOccurs` the record
 * is read with a cursor: a table takes count x element bytes and the items after it move up.
 */
import type { ElementaryField, Field, GroupField, RecordLayout } from '../layout.ts';
import { CodecCompileErrors, DecodeError, EncodeError } from '../errors.ts';
import type { ResolvedOptions, RedefinesRule } from './options.ts';
import type { DecodedRecord, DecodedValue } from './types.ts';
import { decodeFailure, type DecodeContext } from './fields/leaf.ts';
import { createLeaf, codePageFor, type PolicyLeaf } from './fields/index.ts';
import { inlineLeaf, type InlineLeaf } from './fields/inline.ts';
import { choose, chooseForEncode, hasContent, type CompiledRule } from './redefines.ts';
import { generateGroupDecoder, generateGroupEncoder, type ChildEncode, type ClusterEncode, type GenEncodeEntry, type GenEntry } from './codegen.ts';

export interface CompiledPlan {
  /** Decodes one record; the field errors it flagged (onError 'null') are then in `errors`. */
  decode(bytes: Uint8Array, start: number, end: number, recordNumber: number): DecodedRecord;
  /** Errors flagged by the last decode (an empty array for a clean record): no result object per record. */
  readonly errors: readonly DecodeError[];
  encode(value: DecodedRecord): Uint8Array;
}

export function compilePlan(record: RecordLayout, options: ResolvedOptions): CompiledPlan {
  return new PlanCompiler(record, options).compile();
}

/** Decodes one item at `pos` (absolute); sets ctx.size to the bytes it used in variable mode. */
type DecodeFn = (bytes: Uint8Array, pos: number, ctx: DecodeContext) => DecodedValue;
/** Encodes one item at `pos`; returns the bytes it used. */
type EncodeFn = (value: unknown, out: Uint8Array, pos: number, ctx: EncodeContext) => number;

interface EncodeContext {
  root: DecodedRecord;
}

interface Node {
  readonly field: Field;
  /** Output key; null when the item is decoded only for a counter/selector or not at all. */
  readonly key: string | null;
  /** Bytes of the whole item (all occurrences at their maximum). */
  readonly size: number;
  /** Offset relative to the parent group's start. */
  readonly rel: number;
  /** Must be decoded even when not emitted (it is or holds an ODO counter / REDEFINES selector). */
  readonly required: boolean;
  readonly variable: boolean;
  readonly decode: DecodeFn;
  /** Same as decode for a caller that checked the item's bytes are all inside the record. */
  readonly fast: DecodeFn;
  /** Inline source of an elementary field's common case (fields/inline.ts). */
  readonly inline?: InlineLeaf;
  /** The ODO counter / REDEFINES selector slot an elementary field's value goes to. */
  readonly slot?: number;
  readonly encode: EncodeFn;
}

/** A REDEFINES cluster: the redefined item and the items that redefine it, decoded per the rule. */
interface Cluster {
  readonly members: Node[];
  readonly rule?: CompiledRule;
}

class PlanCompiler {
  private readonly slots = new Map<string, number>();
  private readonly rules = new Map<string, RedefinesRule>();
  private readonly variable: boolean;
  private fillerValues = 0;
  private fillerGroups = 0;
  private readonly byPath = new Map<string, Field>();
  private readonly all: Field[] = [];

  private readonly record: RecordLayout;
  private readonly options: ResolvedOptions;

  constructor(
    record: RecordLayout,
    options: ResolvedOptions,
  ) {
    this.record = record;
    this.options = options;
    collect(record.root, this.all);
    for (const f of this.all) this.byPath.set(f.path, f);
    let hasOdo = false;
    for (const f of this.all) {
      if (f.occurs?.dependingOn) {
        hasOdo = true;
        const counter = this.find(f.occurs.dependingOn);
        this.slotFor(counter);
      }
    }
    for (const rule of options.redefines) {
      const target = this.findOptional(rule.redefines);
      if (!target) continue; // a rule for another record of the same copybook
      const base = target.redefines ? this.find(target.redefines) : target;
      this.rules.set(base.path, rule);
      this.slotFor(this.find(rule.selector));
    }
    this.variable = options.variableSizeOccurs && hasOdo;
  }

  compile(): CompiledPlan {
    const root = this.record.root;
    const rootNode = root.kind === 'group' ? this.group(root, root.offset) : this.elementaryRoot(root);
    const slotCount = this.slots.size;
    const options = this.options;
    const ctx: DecodeContext = { start: 0, end: 0, recordNumber: 0, errors: [], slots: new Array(slotCount), size: 0 };
    const length = this.record.length;
    const space = options.codePage.spaceByte;
    const variable = this.variable;
    const plan = {
      errors: NO_ERRORS as readonly DecodeError[],
      decode(bytes: Uint8Array, start: number, end: number, recordNumber: number): DecodedRecord {
        ctx.start = start;
        ctx.end = end;
        ctx.recordNumber = recordNumber;
        if (ctx.errors.length > 0) ctx.errors = [];
        // A loop, not Array.prototype.fill: a builtin call per record for the usual 1-2 slots.
        const slots = ctx.slots;
        for (let i = 0; i < slotCount; i++) slots[i] = undefined;
        plan.errors = NO_ERRORS;
        const value = rootNode.decode(bytes, start, ctx) as DecodedRecord;
        // The errors array is handed over only when a field failed; a clean record allocates nothing.
        if (ctx.errors.length > 0) plan.errors = ctx.errors;
        return value;
      },
      encode(value: DecodedRecord): Uint8Array {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', root.path, 'a record must be an object');
        }
        const out = new Uint8Array(length).fill(space);
        const used = rootNode.encode(value, out, 0, { root: value });
        return variable && used < length ? out.subarray(0, used) : out;
      },
    };
    return plan;
  }

  private elementaryRoot(field: ElementaryField): Node {
    const leaf = this.leaf(field, false);
    const key = field.name;
    return {
      field,
      key,
      size: field.length,
      rel: 0,
      required: true,
      variable: false,
      decode: (bytes, pos, ctx) => {
        const v = leaf.decode(bytes, pos, ctx);
        ctx.size = field.length;
        return { [key]: v };
      },
      get fast() {
        return this.decode;
      },
      encode: (value, out, pos) => {
        leaf.encode((value as DecodedRecord)[key], out, pos);
        return field.length;
      },
    };
  }

  /** Builds the node of a group (without its OCCURS; `occurs` wraps it). */
  private group(field: GroupField, parentOffset: number, lenient = false): Node {
    const variable = this.variable;
    // Children in storage order, REDEFINES gathered into clusters.
    const entries: Array<{ node: Node } | { cluster: Cluster }> = [];
    const clusterOf = new Map<string, Cluster>();
    const redefined = new Set(field.children.filter((c) => c.redefines !== undefined).map((c) => this.resolvePath(c.redefines!)));
    for (const child of field.children) {
      const inCluster = child.redefines !== undefined || redefined.has(child.path);
      const rulePath = child.redefines ? this.resolvePath(child.redefines) : child.path;
      const rule = inCluster ? this.rules.get(rulePath) : undefined;
      // Without a rule every branch is decoded and a branch that does not parse is null: at most
      // one view of shared bytes is meaningful, so its siblings' failures are not errors.
      const node = this.item(child, field.offset, lenient || (inCluster && !rule));
      if (!node) continue;
      if (!inCluster) {
        entries.push({ node });
        continue;
      }
      let cluster = clusterOf.get(rulePath);
      if (!cluster) {
        cluster = { members: [], rule: rule ? this.compileRule(rule) : undefined };
        clusterOf.set(rulePath, cluster);
        entries.push({ cluster });
      }
      cluster.members.push(node);
      if (cluster.rule) this.bindRuleBranches(cluster.rule, rule!, cluster.members);
    }
    const required = entries.some((e) => ('node' in e ? e.node.required : e.cluster.members.some((m) => m.required)));
    const emitted = entries.some((e) => ('node' in e ? e.node.key !== null : e.cluster.members.some((m) => m.key !== null)));
    const key = this.keyFor(field, emitted);
    const size = field.length;

    const decode: DecodeFn = variable ? (bytes, pos, ctx) => {
      const obj: DecodedRecord = {};
      let cursor = pos;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        if ('node' in e) {
          const n = e.node;
          const v = n.decode(bytes, variable ? cursor : pos + n.rel, ctx);
          if (n.key !== null) obj[n.key] = v;
          if (variable) cursor += ctx.size;
          continue;
        }
        const { members, rule } = e.cluster;
        const at = variable ? cursor : pos + members[0].rel;
        let used = 0;
        const chosen = rule ? choose(rule, bytes, ctx) : -1;
        for (let m = 0; m < members.length; m++) {
          if (chosen === -2 || (chosen >= 0 && chosen !== m)) continue;
          const n = members[m];
          const v = n.decode(bytes, variable ? at : pos + n.rel, ctx);
          if (n.key !== null) obj[n.key] = v;
          if (variable) used = Math.max(used, ctx.size);
        }
        if (variable) {
          for (const n of members) if (!n.variable) used = Math.max(used, n.size);
          cursor = at + used;
        }
      }
      ctx.size = variable ? cursor - pos : size;
      return obj;
    } : generateGroupDecoder(
      entries.map((e): GenEntry => {
        if ('node' in e) return { kind: 'node', member: e.node };
        const rule = e.cluster.rule;
        return { kind: 'cluster', members: e.cluster.members, chooser: rule ? (bytes, ctx) => choose(rule, bytes, ctx) : undefined };
      }),
      size,
    );

    const notAnObject = (): never => {
      throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', field.path, 'a group needs an object');
    };
    const encodeCluster = (cluster: Cluster, obj: DecodedRecord, out: Uint8Array, at: number, pos: number, ctx: EncodeContext): number => {
      const { members, rule } = cluster;
      let index = rule ? chooseForEncode(rule, ctx.root) : -1;
      if (index === -1) index = members.findIndex((m) => m.key !== null && hasContent(obj[m.key]));
      let used = 0;
      if (index >= 0) {
        const n = members[index];
        used = n.encode(n.key === null ? undefined : obj[n.key], out, variable ? at : pos + n.rel, ctx);
      }
      for (const n of members) if (!n.variable) used = Math.max(used, n.size);
      return used;
    };
    const encode: EncodeFn = !variable
      ? generateGroupEncoder<EncodeContext>(
          entries.map((e): GenEncodeEntry => {
            if ('node' in e) return { kind: 'node', key: e.node.key, rel: e.node.rel, encode: e.node.encode as ChildEncode };
            const cluster = e.cluster;
            return { kind: 'cluster', encode: ((obj: DecodedRecord, out: Uint8Array, pos: number, ctx: EncodeContext) => encodeCluster(cluster, obj, out, pos + cluster.members[0].rel, pos, ctx)) as ClusterEncode };
          }),
          size,
          notAnObject,
        )
      : (value, out, pos, ctx) => {
      if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) notAnObject();
      const obj = (value ?? {}) as DecodedRecord;
      let cursor = pos;
      for (const e of entries) {
        if ('node' in e) {
          const n = e.node;
          const used = n.encode(n.key === null ? undefined : obj[n.key], out, variable ? cursor : pos + n.rel, ctx);
          cursor += used;
          continue;
        }
        const at = variable ? cursor : pos + e.cluster.members[0].rel;
        cursor = at + encodeCluster(e.cluster, obj, out, at, pos, ctx);
      }
      return variable ? cursor - pos : size;
    };

    const node: Node = { field, key, size, rel: field.offset - parentOffset, required, variable: variable && this.hasOdo(field), decode, fast: decode, encode };
    return node;
  }

  /** A child item with its OCCURS, or null when it is neither emitted nor required. */
  private item(field: Field, parentOffset: number, lenient: boolean): Node | null {
    const one = field.kind === 'group' ? this.group(field, parentOffset, lenient) : this.elementary(field, parentOffset, lenient);
    if (one.key === null && !one.required) return null;
    if (!field.occurs) return one;
    return this.occurs(field, one);
  }

  private elementary(field: ElementaryField, parentOffset: number, lenient: boolean): Node {
    const leaf = this.leaf(field, lenient);
    const slot = this.slots.get(field.path);
    const size = field.length;
    const variant = (inner: DecodeFn): DecodeFn =>
      slot === undefined && !this.variable
        ? inner
        : slot === undefined
          ? (bytes, pos, ctx) => {
              ctx.size = size;
              return inner(bytes, pos, ctx);
            }
          : (bytes, pos, ctx) => {
              const v = inner(bytes, pos, ctx);
              ctx.slots[slot] = v;
              ctx.size = size;
              return v;
            };
    const decode = variant(leaf.decode);
    const fast = variant(leaf.fast);
    const key = this.keyFor(field, true);
    const fillerValue = field.isFiller && field.value !== undefined ? literalValue(field.value) : undefined;
    const encode: EncodeFn = (value, out, pos) => {
      if (key === null || field.isFiller) {
        if (value === undefined && fillerValue === undefined) return size; // stays blank (spaces)
        leaf.encode(value === undefined ? fillerValue : value, out, pos);
        return size;
      }
      leaf.encode(value, out, pos);
      return size;
    };
    // Inline code stores a counter or selector slot itself (codegen.ts); its fallback call does too.
    const inline = !this.variable ? inlineLeaf(field, this.options, codePageFor(field, this.options)) : undefined;
    return { field, key, size, rel: field.offset - parentOffset, required: slot !== undefined, variable: false, decode, fast, encode, inline, slot };
  }

  private occurs(field: Field, one: Node): Node {
    const occurs = field.occurs!;
    const variable = this.variable;
    const elementSize = field.length;
    const max = occurs.max;
    const min = occurs.min;
    const path = field.path;
    const onErrorNull = this.options.onError === 'null';
    let count: (bytes: Uint8Array, pos: number, ctx: DecodeContext) => number;
    let counterPath: string | undefined;
    if (occurs.dependingOn) {
      const counter = this.find(occurs.dependingOn);
      counterPath = counter.path;
      const slot = this.slots.get(counter.path)!;
      const direct = counter.kind === 'group' ? undefined : this.leaf(counter, false);
      const mappings = this.options.occursMappings;
      const mapping = mappings[field.path] ?? mappings[field.name] ?? Object.entries(mappings).find(([k]) => field.path.toUpperCase().endsWith(`.${k.toUpperCase()}`))?.[1];
      const mapped = mapping ? new Map(Object.entries(mapping).map(([k, n]) => [k.trim(), n])) : undefined;
      count = (bytes, pos, ctx) => {
        let v = ctx.slots[slot];
        if (v === undefined && direct) v = ctx.slots[slot] = direct.decode(bytes, ctx.start + counter.offset, ctx);
        const n = mapped ? (v === null || v === undefined ? NaN : (mapped.get(String(v).trim()) ?? NaN)) : typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
        if (Number.isInteger(n) && n >= min && n <= max) return n;
        throw decodeFailure('BANYAN_ERR_DECODE_ODO_BOUNDS', path, bytes, pos, 0, ctx, `${counter.path} = ${String(v)}, bounds ${min} to ${max}`);
      };
    } else count = () => max;

    const build = (decodeOne: DecodeFn): DecodeFn => (bytes, pos, ctx) => {
      let n: number;
      try {
        n = count(bytes, pos, ctx);
      } catch (err) {
        if (!(err instanceof DecodeError) || !onErrorNull) throw err;
        ctx.errors.push(err);
        ctx.size = elementSize * max;
        return null;
      }
      const arr: DecodedValue[] = new Array(n);
      let cursor = pos;
      let i = 0;
      const flagged = ctx.errors.length;
      try {
        for (; i < n; i++) {
          arr[i] = decodeOne(bytes, variable ? cursor : pos + i * elementSize, ctx);
          if (variable) cursor += ctx.size;
        }
      } catch (err) {
        throw err instanceof DecodeError ? err.atOccurrence(path, i) : err;
      }
      // Errors flagged inside the elements name the occurrence (A.B[2].C) for the dead-letter record.
      if (ctx.errors.length > flagged) indexFlagged(ctx.errors, flagged, path, pos - ctx.start, elementSize, variable);
      ctx.size = variable ? cursor - pos : elementSize * max;
      return arr;
    };
    const decode = build(one.decode);
    const fast = build(one.fast);
    const encodeOne = one.encode;
    const encode: EncodeFn = (value, out, pos, ctx) => {
      if (value === undefined || value === null) value = [];
      if (!Array.isArray(value)) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, 'a table needs an array');
      const n = value.length;
      if (occurs.dependingOn ? n < min || n > max : n > max) {
        throw new EncodeError('BANYAN_ERR_ENCODE_OCCURS', path, `${n} elements, bounds ${occurs.dependingOn ? min : 0} to ${max}${counterPath ? ` (counter ${counterPath})` : ''}`);
      }
      for (let i = 0; i < n; i++) encodeOne(value[i], out, pos + i * elementSize, ctx);
      return elementSize * max;
    };
    return { field, key: one.key, size: elementSize * max, rel: one.rel, required: one.required, variable: variable && occurs.dependingOn !== undefined, decode, fast, encode: variable ? this.variableOccursEncode(field, one, counterPath) : encode };
  }

  private variableOccursEncode(field: Field, one: Node, counterPath: string | undefined): EncodeFn {
    const occurs = field.occurs!;
    const elementSize = field.length;
    return (value, out, pos, ctx) => {
      if (value === undefined || value === null) value = [];
      if (!Array.isArray(value)) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', field.path, 'a table needs an array');
      const n = value.length;
      if (occurs.dependingOn ? n < occurs.min || n > occurs.max : n > occurs.max) {
        throw new EncodeError('BANYAN_ERR_ENCODE_OCCURS', field.path, `${n} elements, bounds ${occurs.min} to ${occurs.max}${counterPath ? ` (counter ${counterPath})` : ''}`);
      }
      let cursor = pos;
      for (let i = 0; i < n; i++) cursor += one.encode(value[i], out, cursor, ctx);
      // A fixed table keeps its full size even in variable mode.
      return occurs.dependingOn ? cursor - pos : elementSize * occurs.max;
    };
  }

  private leaf(field: ElementaryField, lenient: boolean): PolicyLeaf {
    return createLeaf(field, this.options, lenient);
  }

  private compileRule(rule: RedefinesRule): CompiledRule {
    const selector = this.find(rule.selector);
    if (selector.kind === 'group') throw new CodecCompileErrors.BANYAN_ERR_CODEC_UNSUPPORTED(selector.path, 'a REDEFINES selector must be an elementary item');
    const slot = this.slots.get(selector.path)!;
    const leaf = this.leaf(selector, true);
    return {
      slot,
      readDirect: (bytes, ctx) => leaf.decode(bytes, ctx.start + selector.offset, ctx),
      selectorKeys: this.keysOf(selector),
      when: new Map(),
      otherwise: -1,
    };
  }

  private bindRuleBranches(compiled: CompiledRule, rule: RedefinesRule, members: Node[]): void {
    const when = compiled.when as Map<string, number>;
    for (const [value, branch] of Object.entries(rule.when)) {
      const i = members.findIndex((m) => m.field.name === branch || m.field.path === branch || m.key === branch);
      if (i >= 0) when.set(value.trim(), i);
    }
    const o = rule.otherwise;
    const oi = o === undefined || o === 'all' ? -1 : o === 'none' ? -2 : members.findIndex((m) => m.field.name === o || m.field.path === o);
    (compiled as { otherwise: number }).otherwise = oi === -1 && o !== undefined && o !== 'all' ? -2 : oi;
  }

  private keyFor(field: Field, emitted: boolean): string | null {
    if (!emitted) return null;
    if (field.name === '__proto__') throw new CodecCompileErrors.BANYAN_ERR_CODEC_UNSUPPORTED(field.path, 'a field named __proto__ cannot be a JS object key');
    if (!field.isFiller) return field.name;
    if (this.options.fillers === 'drop') return null;
    return field.kind === 'group' ? `FILLER_${++this.fillerGroups}` : `FILLER_P${++this.fillerValues}`;
  }

  /** Output keys from the root to a field (for reading a selector from a value when encoding). */
  private keysOf(field: Field): string[] {
    const keys: string[] = [];
    let path = field.path;
    while (path.includes('.')) {
      const f = this.byPath.get(path);
      if (f) keys.unshift(f.name);
      path = path.slice(0, path.lastIndexOf('.'));
    }
    return keys;
  }

  private hasOdo(field: Field): boolean {
    if (field.occurs?.dependingOn) return true;
    return field.kind === 'group' && field.children.some((c) => this.hasOdo(c));
  }

  private slotFor(field: Field): number {
    let slot = this.slots.get(field.path);
    if (slot === undefined) this.slots.set(field.path, (slot = this.slots.size));
    return slot;
  }

  private resolvePath(ref: string): string {
    return this.find(ref).path;
  }

  private find(ref: string): Field {
    const f = this.findOptional(ref);
    if (!f) throw new CodecCompileErrors.BANYAN_ERR_CODEC_FIELD(ref, this.record.name);
    return f;
  }

  /** By exact path, then by path suffix, then by name (the first in storage order). */
  private findOptional(ref: string): Field | undefined {
    const exact = this.byPath.get(ref);
    if (exact) return exact;
    const upper = ref.toUpperCase();
    return this.all.find((f) => f.path.toUpperCase().endsWith(`.${upper}`)) ?? this.all.find((f) => f.name.toUpperCase() === upper);
  }
}

/** Adds the occurrence index to errors flagged inside a fixed-size table (positions tell which). */
function indexFlagged(errors: DecodeError[], from: number, path: string, tableOffset: number, elementSize: number, variable: boolean): void {
  if (variable || elementSize <= 0) return;
  for (let k = from; k < errors.length; k++) {
    const e = errors[k];
    const i = Math.floor((e.byteOffset - tableOffset) / elementSize);
    if (i >= 0) errors[k] = e.atOccurrence(path, i);
  }
}

const NO_ERRORS: DecodeError[] = [];

function collect(field: Field, out: Field[]): void {
  out.push(field);
  if (field.kind === 'group') for (const c of field.children) collect(c, out);
}

/** A filler's VALUE literal as an encoder value: quoted text, ZERO(S), SPACE(S), numbers. */
function literalValue(literal: string): unknown {
  const t = literal.trim();
  const q = /^(['"])(.*)\1$/s.exec(t);
  if (q) return q[2];
  if (/^ZERO(S|ES)?$/i.test(t)) return 0;
  if (/^SPACES?$/i.test(t)) return undefined;
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return t;
  return undefined;
}
