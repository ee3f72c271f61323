/**
 * YAML parsing that keeps source positions, so every later check (schema, cross references,
 * lint) can point at file:line:col. Uses `yaml`'s CST ranges and LineCounter rather than
 * re-scanning text.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigIssue } from './issues.ts';

export type PathSegment = string | number;

export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /** Issues from YAML syntax itself (duplicate keys, bad indentation, tabs, ...). */
  readonly syntaxIssues: readonly ConfigIssue[];
  /** 1-based position of the node at `path`, falling back to its nearest existing ancestor. */
  positionOf(path: readonly PathSegment[]): { line: number; col: number };
  /** 1-based position of the *key* at `path` (for unknown-key errors), else of the value. */
  keyPositionOf(path: readonly PathSegment[]): { line: number; col: number };
  issueAt(path: readonly PathSegment[], rule: string, message: string, atKey?: boolean): ConfigIssue;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxIssues: ConfigIssue[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      col: pos.col,
      rule: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      message: firstLine(e.message),
    };
  });
  const value = doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });

  const posAt = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };

  const source: YamlSource = {
    file,
    value,
    syntaxIssues,
    positionOf(path) {
      const node = nearestNode(doc, path);
      return posAt(node?.range?.[0]);
    },
    keyPositionOf(path) {
      const keyNode = keyNodeAt(doc, path);
      if (keyNode) return posAt(keyNode.range?.[0]);
      return source.positionOf(path);
    },
    issueAt(path, rule, message, atKey = false) {
      const pos = atKey ? source.keyPositionOf(path) : source.positionOf(path);
      return { file, line: pos.line, col: pos.col, rule, message, path: formatPath(path) || undefined };
    },
  };
  return source;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

function nearestNode(doc: Document, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    const next = childOf(node, seg);
    if (next === undefined) break;
    node = next;
  }
  return (node ?? doc.contents ?? undefined) as Node | undefined;
}

function keyNodeAt(doc: Document, path: readonly PathSegment[]): Node | undefined {
  if (path.length === 0) return undefined;
  const parent = nearestNodeExact(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent && isMap(parent)) {
    for (const pair of parent.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(last)) return pair.key;
    }
  }
  return undefined;
}

function nearestNodeExact(doc: Document, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    node = childOf(node, seg);
    if (node === undefined) return undefined;
  }
  return node as Node;
}

function childOf(node: unknown, seg: PathSegment): unknown {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(seg)) return pair.value ?? pair.key;
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
