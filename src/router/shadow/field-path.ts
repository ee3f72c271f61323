/**
 * Field paths of the comparison (`status`, `header.content-type`, `body.items[0].price`) and the
 * patterns that select them in compare rules: `*` one key, `[*]` any index, `[3]` one index, `**`
 * any depth. Ignore rules select a node and its whole subtree; normalise rules select exact nodes.
 */
export type Segment = string | number;
type PatternSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'any-key' } | { kind: 'any-index' } | { kind: 'deep' };

export interface FieldPattern {
  readonly source: string;
  /** The pattern selects `path` itself. */
  matches(path: readonly Segment[]): boolean;
  /** The pattern selects `path` or one of its ancestors. */
  covers(path: readonly Segment[]): boolean;
}

export function compileFieldPattern(source: string): FieldPattern {
  const segs: PatternSegment[] = [];
  for (const m of source.matchAll(/\[(\*|\d+)\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) segs.push(m[1] === '*' ? { kind: 'any-index' } : { kind: 'index', index: Number(m[1]) });
    else if (m[2] === '**') segs.push({ kind: 'deep' });
    else if (m[2] === '*') segs.push({ kind: 'any-key' });
    else segs.push({ kind: 'key', key: m[2] });
  }
  return {
    source,
    matches: (path) => match(segs, 0, path, 0, false),
    covers: (path) => match(segs, 0, path, 0, true),
  };
}

/** `body.items[0].price` from ['body', 'items', 0, 'price']. */
export function formatFieldPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** The same path with every index replaced by `[*]`, so per-field statistics do not split by position. */
export function generalisePath(path: string): string {
  return path.replace(/\[\d+\]/g, '[*]');
}

function match(p: readonly PatternSegment[], i: number, path: readonly Segment[], j: number, prefix: boolean): boolean {
  if (i === p.length) return prefix || j === path.length;
  const seg = p[i];
  if (seg.kind === 'deep') {
    for (let k = j; k <= path.length; k++) if (match(p, i + 1, path, k, prefix)) return true;
    return false;
  }
  if (j === path.length) return false;
  const part = path[j];
  const ok =
    (seg.kind === 'key' && part === seg.key) ||
    (seg.kind === 'index' && part === seg.index) ||
    (seg.kind === 'any-key' && typeof part === 'string') ||
    (seg.kind === 'any-index' && typeof part === 'number');
  return ok && match(p, i + 1, path, j + 1, prefix);
}
