/**
 * Entries -> record layouts: nests entries by level number, applies USAGE/SIGN inherited from
 * groups, sizes every elementary item, resolves REDEFINES / OCCURS DEPENDING ON / RENAMES names and
 * assigns 0-based offsets the way IBM Enterprise COBOL allocates storage:
 *   - an elementary item takes the bytes of its PICTURE and USAGE (see `elementaryShape`);
 *   - a table reserves `max` occurrences; a group is as long as its children, where an item and the
 *     items that REDEFINE it share storage and the block is as long as its longest member;
 *   - with `alignSync`, SYNCHRONIZED items start on their natural boundary (slack bytes before them).
 */
import type {
  ConditionName, ElementaryField, Field, GroupField, Occurs, RecordLayout, RenamesClause, Usage,
} from '../layout.ts';
import { copybookError } from './errors.ts';
import type { QualifiedName, RawEntry, RawUsage } from './entries.ts';
import type { ResolvedParseOptions } from './options.ts';
import { parsePicture } from './picture.ts';
import { elementaryShape, type ElementaryShape } from './shape.ts';

interface Node {
  readonly entry: RawEntry;
  readonly parent?: Node;
  readonly children: Node[];
  readonly conditions: RawEntry[];
  readonly record: RecordBuild;
  path: string;
  usage?: RawUsage;
  sign?: RawEntry['sign'];
  shape?: ElementaryShape;
  redefinesTarget?: Node;
  redefinedBy: Node[];
  offset: number;
  /** One occurrence. */
  length: number;
  alignment: number;
}

interface RecordBuild {
  readonly root: Node;
  readonly renames: RawEntry[];
  fillers: number;
}

export function buildRecords(entries: readonly RawEntry[], options: ResolvedParseOptions): RecordLayout[] {
  const records = nest(entries, options);
  records.forEach((r, i) => linkRecordRedefines(r, records.slice(0, i)));
  for (const r of records) assignPaths(r.root, undefined);
  return records.map((r) => finishRecord(r, options));
}

function nest(entries: readonly RawEntry[], options: ResolvedParseOptions): RecordBuild[] {
  const records: RecordBuild[] = [];
  let stack: Node[] = [];
  let last: Node | undefined;
  for (const e of entries) {
    if (e.level === 88) {
      if (!last) throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', e.levelToken, e.name, 'a level-88 condition name must follow the item it belongs to');
      last.conditions.push(e);
      continue;
    }
    if (e.level === 66) {
      const current = records[records.length - 1];
      if (!current) throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', e.levelToken, e.name, 'a level-66 RENAMES entry must follow the record it renames');
      current.renames.push(e);
      continue;
    }
    if (e.level === 1 || e.level === 77) {
      const rec = newRecord(e);
      records.push(rec);
      stack = [rec.root];
      last = rec.root;
      continue;
    }
    if (records.length === 0 || stack.length === 0) {
      // A fragment of 05-level items (meant to be copied under an 01): wrap it in one record.
      const synthetic: RawEntry = {
        level: 1, levelToken: e.levelToken, name: options.defaultRecordName, isFiller: false, nameToken: e.levelToken,
      };
      const rec = newRecord(synthetic);
      records.push(rec);
      stack = [rec.root];
    }
    while (stack.length > 1 && stack[stack.length - 1].entry.level >= e.level) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent.entry.level === 77) {
      throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', e.levelToken, e.levelToken.text, 'a level-77 item cannot have subordinate items');
    }
    const node = newNode(e, parent, parent.record);
    parent.children.push(node);
    stack.push(node);
    last = node;
  }
  if (records.length === 0) {
    throw copybookError('BANYAN_ERR_COPYBOOK_EMPTY', { file: options.source, line: 1, column: 1 }, '', 'the copybook has no data description entries');
  }
  return records;
}

function newRecord(e: RawEntry): RecordBuild {
  const rec = { renames: [], fillers: 0 } as unknown as { root: Node; renames: RawEntry[]; fillers: number };
  rec.root = newNode(e, undefined, rec);
  return rec;
}

function newNode(entry: RawEntry, parent: Node | undefined, record: RecordBuild): Node {
  return { entry, parent, children: [], conditions: [], record, path: '', redefinedBy: [], offset: 0, length: 0, alignment: 1 };
}

/** 01-level REDEFINES: another record over the same storage (both start at offset 0). */
function linkRecordRedefines(rec: RecordBuild, earlier: readonly RecordBuild[]): void {
  const root = rec.root;
  if (!root.entry.redefines) return;
  const target = earlier.find((r) => r.root.entry.name === root.entry.redefines!.name && !r.root.entry.isFiller);
  if (!target) {
    const t = root.entry.redefines.token;
    throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', t, t.text, `REDEFINES ${t.text}: no earlier record of that name`);
  }
  root.redefinesTarget = target.root;
  target.root.redefinedBy.push(root);
}

function finishRecord(rec: RecordBuild, options: ResolvedParseOptions): RecordLayout {
  const root = rec.root;
  if (root.entry.occurs) {
    throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', root.entry.occurs.token, 'OCCURS', `OCCURS is not allowed on a level-${root.entry.level} item`);
  }
  resolveShapes(root, options);
  place(root, 0, options);
  const field = toField(root, options);
  const renames = rec.renames.map((e) => resolveRenames(e, root));
  const length = root.length;
  return { name: root.entry.name, length, root: field, renames };
}

function assignPaths(node: Node, parentPath: string | undefined): void {
  const e = node.entry;
  let segment = e.name;
  if (e.isFiller) segment = `FILLER_${++node.record.fillers}`;
  node.path = parentPath === undefined ? segment : `${parentPath}.${segment}`;
  const siblings: Node[] = [];
  for (const child of node.children) {
    if (child.entry.redefines) {
      const target = findRedefinesTarget(child, siblings);
      child.redefinesTarget = target;
      target.redefinedBy.push(child);
    }
    siblings.push(child);
    assignPaths(child, node.path);
  }
}

/** IBM: REDEFINES names an item of the same level just before it (or before other redefinitions of it). */
function findRedefinesTarget(child: Node, previous: readonly Node[]): Node {
  const r = child.entry.redefines!;
  for (let k = previous.length - 1; k >= 0; k--) {
    const s = previous[k];
    if (!s.entry.isFiller && s.entry.name === r.name) return s;
    if (!s.entry.redefines) break;
  }
  const detail = previous.length === 0
    ? `${child.entry.name} cannot REDEFINE ${r.token.text}: it is the first item of its group`
    : `REDEFINES ${r.token.text}: it must name the item of level ${child.entry.level} just before ${child.entry.name}`;
  throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', r.token, r.token.text, detail);
}

function resolveShapes(node: Node, options: ResolvedParseOptions): void {
  const e = node.entry;
  const parent = node.parent;
  node.usage = e.usage?.usage ?? parent?.usage;
  // A SIGN clause on a group applies to the signed numeric items in it (IBM "SIGN clause").
  node.sign = e.sign ?? parent?.sign;
  if (node.children.length > 0) {
    if (e.picture) {
      throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', e.picture, e.picture.text, `${e.name} has subordinate items, so it is a group and cannot have a PICTURE`);
    }
    for (const c of node.children) resolveShapes(c, options);
    return;
  }
  const usage = node.usage ?? 'display';
  const noPicture = usage === 'comp-1' || usage === 'comp-2' || usage === 'index' || usage === 'pointer';
  if (!e.picture && !noPicture) {
    throw copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', e.nameToken, e.nameToken.text, `elementary item ${e.name} needs a PICTURE clause (or USAGE COMP-1, COMP-2, INDEX, POINTER)`);
  }
  const picture = e.picture && !noPicture ? parsePicture(e.picture.text, e.picture, options.decimalPointIsComma) : undefined;
  const ownSign = e.sign !== undefined;
  node.shape = elementaryShape({
    usage, picture, pictureText: e.picture?.text.toUpperCase(), sign: node.sign, ownSign, at: e.picture ?? e.nameToken,
    usageToken: e.usage?.token, options,
  });
  // IBM: SYNC on a level-01 group synchronizes every elementary item in it.
  if (options.alignSync && (e.sync || node.record.root.entry.sync)) node.alignment = node.shape.alignment;
}

/**
 * Largest record we lay out. IBM Enterprise COBOL caps a data item at 999,999,999 bytes; a bound
 * also keeps a typo such as OCCURS 99999999999 from becoming a buffer the decoder would allocate.
 */
const MAX_RECORD_BYTES = 999_999_999;

/** Lays `node` out at `start`; returns the offset just past its last occurrence. */
function place(node: Node, start: number, options: ResolvedParseOptions): number {
  const end = placeUnchecked(node, start, options);
  if (end > MAX_RECORD_BYTES) {
    const at = node.entry.occurs?.token ?? node.entry.picture ?? node.entry.nameToken;
    throw copybookError('BANYAN_ERR_COPYBOOK_UNSUPPORTED', at, at.text,
      `${node.entry.name} would end at byte ${end}, beyond the ${MAX_RECORD_BYTES}-byte limit of a COBOL data item`);
  }
  return end;
}

function placeUnchecked(node: Node, start: number, options: ResolvedParseOptions): number {
  const max = node.entry.occurs?.max ?? 1;
  if (node.shape) {
    node.offset = alignUp(start, node.alignment);
    node.length = node.shape.size;
    return node.offset + node.length * max;
  }
  // IBM "slack bytes": a table does not move; slack bytes inside its first occurrence align the
  // SYNC items, and slack bytes at the end of each occurrence (inter-occurrence) make the element a
  // multiple of its strictest alignment so every later occurrence is aligned the same way.
  const maxAlign = options.alignSync && node.entry.occurs ? maxAlignment(node) : 1;
  node.offset = start;
  let cursor = start;
  for (const child of node.children) {
    const childStart = child.redefinesTarget ? child.redefinesTarget.offset : cursor;
    cursor = Math.max(cursor, place(child, childStart, options));
  }
  // Slack bytes at the end of a table element keep every occurrence aligned like the first.
  node.length = alignUp(cursor - start, maxAlign);
  return start + node.length * max;
}

function maxAlignment(node: Node): number {
  return node.children.reduce((m, c) => Math.max(m, c.alignment, c.children.length > 0 ? maxAlignment(c) : 1), node.alignment);
}

function alignUp(n: number, a: number): number {
  return a <= 1 ? n : Math.ceil(n / a) * a;
}

function toField(node: Node, options: ResolvedParseOptions): Field {
  const e = node.entry;
  const base = {
    name: e.name,
    path: node.path,
    level: e.level,
    offset: node.offset,
    length: node.length,
    isFiller: e.isFiller,
    line: e.levelToken.line,
    column: e.levelToken.column,
    ...(e.occurs ? { occurs: toOccurs(node) } : {}),
    ...(node.redefinesTarget ? { redefines: node.redefinesTarget.path } : {}),
    ...(node.redefinedBy.length > 0 ? { redefinedBy: node.redefinedBy.map((n) => n.path) } : {}),
    ...(node.conditions.length > 0 ? { conditions: node.conditions.map(toCondition) } : {}),
  };
  if (!node.shape) {
    const group: GroupField = {
      ...base,
      kind: 'group',
      children: node.children.map((c) => toField(c, options)),
      ...(e.usage ? { usage: toUsage(e.usage.usage) } : {}),
    };
    return group;
  }
  const value = e.values?.[0];
  const extra = {
    ...(e.picture ? { picture: e.picture.text.toUpperCase() } : {}),
    ...(value && !('from' in value) ? { value: value.text, valueKind: value.kind, ...(value.all ? { valueAll: true } : {}) } : {}),
    ...(e.blankWhenZero ? { blankWhenZero: true } : {}),
    ...(e.justifiedRight ? { justifiedRight: true } : {}),
    ...(e.sync || node.record.root.entry.sync ? { sync: true } : {}),
    usage: toUsage(node.usage ?? 'display'),
  };
  return { ...base, ...extra, ...node.shape.field } as ElementaryField;
}

function toOccurs(node: Node): Occurs {
  const o = node.entry.occurs!;
  const out: { -readonly [K in keyof Occurs]: Occurs[K] } = { min: o.min, max: o.max };
  if (o.dependingOn) {
    const counter = resolveName(o.dependingOn, node.record.root, 'OCCURS DEPENDING ON');
    out.dependingOn = counter.path;
    if (counter.children.length > 0) {
      throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', o.dependingOn.token, o.dependingOn.token.text, `DEPENDING ON ${o.dependingOn.token.text}: the counter must be an elementary item, not a group`);
    }
    if (isInside(counter, node)) {
      throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', o.dependingOn.token, o.dependingOn.token.text, `DEPENDING ON ${o.dependingOn.token.text}: the counter cannot be inside the table it sizes`);
    }
  }
  if (o.indexedBy.length > 0) out.indexedBy = o.indexedBy;
  if (o.keys.length > 0) out.keys = o.keys;
  return out;
}

function isInside(n: Node, ancestor: Node): boolean {
  for (let p: Node | undefined = n; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

function toCondition(e: RawEntry): ConditionName {
  const values = (e.values ?? []).map((v) => ('from' in v ? { from: v.from.text, to: v.to.text } : v.text));
  return { name: e.name, values };
}

/** COBOL qualification: `X OF G` finds the item X with an ancestor G; the name must be unique. */
function resolveName(q: QualifiedName, root: Node, what: string): Node {
  const matches: Node[] = [];
  const visit = (n: Node) => {
    if (!n.entry.isFiller && n.entry.name === q.names[0] && qualifiersMatch(n, q.names.slice(1))) matches.push(n);
    for (const c of n.children) visit(c);
  };
  visit(root);
  const shown = q.names.join(' OF ');
  if (matches.length === 0) {
    throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', q.token, shown, `${what} ${shown}: no such item in record ${root.entry.name}`);
  }
  if (matches.length > 1) {
    throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', q.token, shown,
      `${what} ${shown} is ambiguous (${matches.map((m) => m.path).join(', ')}); qualify it with OF`);
  }
  return matches[0];
}

function qualifiersMatch(n: Node, qualifiers: readonly string[]): boolean {
  let p = n.parent;
  for (const q of qualifiers) {
    while (p && p.entry.name !== q) p = p.parent;
    if (!p) return false;
    p = p.parent;
  }
  return true;
}

/** IBM "RENAMES clause": the bytes from the first item through the last, inclusive. */
function resolveRenames(e: RawEntry, root: Node): RenamesClause {
  const r = e.renames!;
  const from = resolveName(r.from, root, 'RENAMES');
  const thru = r.thru ? resolveName(r.thru, root, 'RENAMES ... THRU') : undefined;
  for (const n of [from, thru]) {
    if (n && (n.entry.level === 1 || n.entry.level === 77 || n.entry.occurs)) {
      const t = n === from ? r.from.token : r.thru!.token;
      throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', t, t.text, `RENAMES ${t.text}: cannot rename a level-01/77 item or a table`);
    }
  }
  const offset = from.offset;
  const last = thru ?? from;
  const end = last.offset + last.length * (last.entry.occurs?.max ?? 1);
  if (end <= offset) {
    const t = r.thru!.token;
    throw copybookError('BANYAN_ERR_COPYBOOK_REFERENCE', t, t.text, `RENAMES ${r.from.token.text} THRU ${t.text}: the THRU item ends before the first item starts`);
  }
  return { name: e.name, from: from.path, ...(thru ? { thru: thru.path } : {}), offset, length: end - offset };
}

function toUsage(u: RawUsage): Usage {
  switch (u) {
    case 'comp-9':
      return 'binary';
    case 'packed-unsigned':
      return 'packed';
    default:
      return u;
  }
}
