/** Small helpers for copybook parser tests: build fixed-format text and find fields by path. */
import assert from 'node:assert/strict';
import { parseCopybook, type ParseOptions } from '../../../../src/codec/copybook/index.ts';
import { walkFields, type Field, type RecordLayout } from '../../../../src/codec/layout.ts';

/** Lines of code placed in area A/B of fixed format (column 8 onward). */
export function fixed(...lines: string[]): string {
  return lines.map((l) => `       ${l}`).join('\n');
}

export function firstRecord(text: string, options: ParseOptions = {}): RecordLayout {
  return parseCopybook(text, options).records[0];
}

export function fieldAt(record: RecordLayout, path: string): Field {
  for (const f of walkFields(record.root)) if (f.path === path) return f;
  assert.fail(`no field ${path} in ${[...walkFields(record.root)].map((f) => f.path).join(', ')}`);
}

/** [offset, length] of a field: the two facts a layout must get right. */
export function span(record: RecordLayout, path: string): [number, number] {
  const f = fieldAt(record, path);
  return [f.offset, f.length];
}
