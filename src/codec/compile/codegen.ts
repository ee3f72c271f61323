/**
 * Generated group decoders for the fixed-position case (every item at its layout offset).
 *
 * Why generate: building a decoded group with `obj[key] = value` in a loop is a megamorphic keyed
 * store, and a wide record (hundreds of fields) ends up as a dictionary-mode object; profiling a
 * 160-field record showed most decode time there. An object literal with the keys written out lets
 * V8 create the object from one boilerplate with fast properties, and each child decoder is a
 * direct call with its offset as a constant. Only closures built by plan.ts and JSON-quoted keys go
 * into the generated source, never text from the copybook unquoted.
 */
import type { DecodeContext } from './fields/leaf.ts';
import type { DecodedRecord, DecodedValue } from './types.ts';
import type { InlineLeaf } from './fields/inline.ts';

export type ChildDecode = (bytes: Uint8Array, pos: number, ctx: DecodeContext) => DecodedValue;
/** Picks the branch of a REDEFINES cluster: its index, -1 for all branches, -2 for none. */
export type BranchChooser = (bytes: Uint8Array, ctx: DecodeContext) => number;

export interface GenMember {
  readonly key: string | null;
  readonly rel: number;
  /** Bytes of the item. */
  readonly size: number;
  /** Checks the record is long enough for the item. */
  readonly decode: ChildDecode;
  /** Assumes it is (the group checked its whole extent once). */
  readonly fast: ChildDecode;
  /** The field's common case as inline source (fields/inline.ts), `fast` being its fallback. */
  readonly inline?: InlineLeaf;
  /** ctx.slots index the inline value is stored at (an ODO counter or REDEFINES selector). */
  readonly slot?: number;
}

export type GenEntry = { readonly kind: 'node'; readonly member: GenMember } | { readonly kind: 'cluster'; readonly chooser: BranchChooser | undefined; readonly members: readonly GenMember[] };

export function generateGroupDecoder(entries: readonly GenEntry[], size: number): (bytes: Uint8Array, pos: number, ctx: DecodeContext) => DecodedRecord {
  const fns: unknown[] = [];
  const names = new Map<unknown, string>(); // one binding per constant (tables are shared by fields)
  const ref = (f: unknown): string => {
    let name = names.get(f);
    if (name === undefined) {
      name = `f${fns.length}`;
      fns.push(f);
      names.set(f, name);
    }
    return name;
  };
  let locals = 0;
  const helpers: string[] = [];
  const variant = (pick: (m: GenMember) => ChildDecode, wholeGroupFits: boolean): string[] => {
    const pre: string[] = [];
    const literal: string[] = [];
    const post: string[] = [];
    // Each ordered item's statements (values in storage order), stored by chunk functions when there are many.
    const items: Array<{ readonly lines: string[]; readonly key: string | null; readonly value: string }> = [];
    let ordered = true; // still inside the object literal (no rule-driven cluster seen yet)
    const call = (m: GenMember) => `${ref(pick(m))}(b, p + ${m.rel}, c)`;
    const valueItem = (m: GenMember) => {
      const id = String(locals++);
      if (m.key === null) return { lines: [`${call(m)};`], key: null, value: '' };
      if (!m.inline) return { lines: [`const x_${id} = ${call(m)};`], key: m.key, value: `x_${id}` };
      const code = m.inline.code(`x_${id}`, `p + ${m.rel}`, call(m), ref, `_${id}`);
      // Checked variant (the group runs past the record's end): inline where the field fits.
      const lines = wholeGroupFits ? [`let x_${id};`, code] : [`let x_${id};`, `if (p + ${m.rel + m.size} <= c.end) {`, code, `} else x_${id} = ${call(m)};`];
      if (m.slot !== undefined) lines.push(`c.slots[${m.slot}] = x_${id};`);
      return { lines, key: m.key, value: `x_${id}` };
    };
    const ruled = entries.filter((e) => e.kind === 'cluster' && e.chooser);
    const memberCount = entries.reduce((n, e) => n + (e.kind === 'node' ? 1 : e.members.length), 0);
    if (ruled.length === 1 && memberCount <= CHUNK) return oneRuledCluster(valueItem, call);
    entries.forEach((e, i) => {
      if (e.kind === 'node' || !e.chooser) {
        const members = e.kind === 'node' ? [e.member] : e.members;
        for (const m of members) {
          if (ordered) items.push(valueItem(m));
          else if (m.key === null) post.push(`${call(m)};`);
          else post.push(`o[${JSON.stringify(m.key)}] = ${call(m)};`);
        }
        return;
      }
      ordered = false;
      const k = `k${i}`;
      post.push(`const ${k} = ${ref(e.chooser)}(b, c);`);
      e.members.forEach((m, index) => {
        const cond = `(${k} === -1 || ${k} === ${index})`;
        post.push(m.key === null ? `if ${cond} ${call(m)};` : `if ${cond} o[${JSON.stringify(m.key)}] = ${call(m)};`);
      });
    });
    if (items.length <= CHUNK) {
      // Values computed in storage order before the literal (same order as the calls).
      for (const it of items) {
        pre.push(...it.lines);
        if (it.key !== null) literal.push(`${literalKey(it.key)}: ${it.value}`);
      }
      return [...pre, `const o = {${literal.join(', ')}};`, ...post, `c.size = ${size};`, 'return o;'];
    }
    // A wide group: one function holding every field inline grows past what V8 optimizes, so the
    // object is made first, every key set to null by a generated constructor (V8 builds a literal of
    // more than a few dozen properties through the runtime: ~1.1 us for 167 keys), and chunk
    // functions decode the fields in storage order straight into it. Storing into the new object
    // (young) needs no remembered-set entry, unlike a long-lived scratch array.
    const ctor = `O${helpers.length}`;
    const keys = items.flatMap((it) => (it.key === null ? [] : [it.key]));
    // Keys are never __proto__ (refused at compile time), so each store defines an own property.
    helpers.push(`function ${ctor}() {`, ...keys.map((k) => `this[${JSON.stringify(k)}] = null;`), '}', `${ctor}.prototype = Object.prototype;`);
    const calls: string[] = [];
    for (let from = 0; from < items.length; from += CHUNK) {
      const name = `g${helpers.length}`;
      const lines = items.slice(from, from + CHUNK).flatMap((it) => (it.key === null ? it.lines : [...it.lines, `o[${JSON.stringify(it.key)}] = ${it.value};`]));
      helpers.push(`function ${name}(b, p, c, o) {`, ...lines, '}');
      calls.push(`${name}(b, p, c, o);`);
    }
    return [`const o = new ${ctor}();`, ...calls, ...post, `c.size = ${size};`, 'return o;'];
  };
  /**
   * A group with one rule-driven REDEFINES cluster (a multi-segment record): every value decoded in
   * storage order as before, then one literal per branch choice, so the object never gains a
   * property after it is made (which would cost a map transition and a property store per record).
   */
  const oneRuledCluster = (valueItem: (m: GenMember) => { lines: string[]; key: string | null; value: string }, call: (m: GenMember) => string): string[] => {
    const lines: string[] = [];
    type Entry = { key: string; value: string; branch?: number };
    const keyed: Entry[] = [];
    let k = '';
    let branches = 0;
    entries.forEach((e, i) => {
      if (e.kind === 'node' || !e.chooser) {
        for (const m of e.kind === 'node' ? [e.member] : e.members) {
          const it = valueItem(m);
          lines.push(...it.lines);
          if (it.key !== null) keyed.push({ key: it.key, value: it.value });
        }
        return;
      }
      k = `k${i}`;
      branches = e.members.length;
      lines.push(`const ${k} = ${ref(e.chooser)}(b, c);`);
      e.members.forEach((m, index) => {
        const cond = `(${k} === -1 || ${k} === ${index})`;
        if (m.key === null) {
          lines.push(`if ${cond} ${call(m)};`);
          return;
        }
        const y = `y_${locals++}`;
        lines.push(`let ${y};`, `if ${cond} ${y} = ${call(m)};`);
        keyed.push({ key: m.key, value: y, branch: index });
      });
    });
    const literalFor = (choice: number) =>
      `{${keyed.filter((x) => x.branch === undefined || choice === -1 || x.branch === choice).map((x) => `${literalKey(x.key)}: ${x.value}`).join(', ')}}`;
    lines.push('let o;', `switch (${k}) {`, `case -1: o = ${literalFor(-1)}; break;`);
    for (let index = 0; index < branches; index++) lines.push(`case ${index}: o = ${literalFor(index)}; break;`);
    lines.push(`default: o = ${literalFor(-2)};`, '}');
    return [...lines, `c.size = ${size};`, 'return o;'];
  };
  // Whole group inside the record: the children skip their own length checks.
  const fast = variant((m) => m.fast, true);
  const checked = variant((m) => m.decode, false);
  const body = [
    ...fns.map((_, i) => `const f${i} = F[${i}];`),
    ...helpers,
    'return function decodeGroup(b, p, c) {',
    `if (p + ${size} <= c.end) {`,
    ...fast,
    '}',
    ...checked,
    '};',
  ].join('\n');
  // eslint-disable-next-line no-new-func -- specialised decoder, see the file comment
  const factory = new Function('F', body) as (f: readonly unknown[]) => (bytes: Uint8Array, pos: number, ctx: DecodeContext) => DecodedRecord;
  return factory(fns);
}

/** A quoted key; `__proto__` computed so the literal defines an own property, not the prototype. */
function literalKey(key: string): string {
  return key === '__proto__' ? `[${JSON.stringify(key)}]` : JSON.stringify(key);
}

export type ChildEncode = (value: unknown, out: Uint8Array, pos: number, ctx: never) => number;
/** Writes one REDEFINES cluster of the group object `obj` (the cluster picks its branch). */
export type ClusterEncode = (obj: DecodedRecord, out: Uint8Array, pos: number, ctx: never) => void;

export type GenEncodeEntry =
  | { readonly kind: 'node'; readonly key: string | null; readonly rel: number; readonly encode: ChildEncode }
  | { readonly kind: 'cluster'; readonly encode: ClusterEncode };

/**
 * The fixed-position group encoder: each child's value read by a constant key (a named property
 * load instead of a megamorphic keyed one) and written at a constant offset.
 */
export function generateGroupEncoder<C>(
  entries: readonly GenEncodeEntry[],
  size: number,
  notAnObject: () => never,
): (value: unknown, out: Uint8Array, pos: number, ctx: C) => number {
  const fns: Array<ChildEncode | ClusterEncode | (() => never)> = [notAnObject];
  const ref = (f: ChildEncode | ClusterEncode): string => {
    fns.push(f);
    return `f${fns.length - 1}`;
  };
  const lines = entries.map((e) => {
    if (e.kind === 'cluster') return `${ref(e.encode)}(v, out, p, c);`;
    const value = e.key === null ? 'undefined' : `v[${JSON.stringify(e.key)}]`;
    return `${ref(e.encode)}(${value}, out, p + ${e.rel}, c);`;
  });
  const body = [
    ...fns.map((_, i) => `const f${i} = F[${i}];`),
    'const EMPTY = Object.freeze({});',
    'return function encodeGroup(v, out, p, c) {',
    'if (v === undefined || v === null) v = EMPTY;',
    'else if (typeof v !== "object" || Array.isArray(v)) f0();',
    ...lines,
    `return ${size};`,
    '};',
  ].join('\n');
  // eslint-disable-next-line no-new-func -- specialised encoder, see the file comment
  const factory = new Function('F', body) as (f: readonly unknown[]) => (value: unknown, out: Uint8Array, pos: number, ctx: C) => number;
  return factory(fns);
}

/** Fields per generated function in a wide group (keeps each function small enough to optimize). */
const CHUNK = 16;
