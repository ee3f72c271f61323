/**
 * A layout as a compiler-listing style table (like the data map of IBM's MAP option): one row per
 * item with level, name, PICTURE, USAGE, 1-based start and end, length of one occurrence, type,
 * digits, scale and sign; OCCURS and REDEFINES in the last column. END covers every occurrence.
 */
import type { CopybookLayout, Field, RecordLayout } from '../layout.ts';
import { walkFields } from '../layout.ts';

const HEADERS = ['LVL NAME', 'PICTURE', 'USAGE', 'START', 'END', 'LENGTH', 'TYPE', 'DIGITS', 'SCALE', 'SIGN', 'NOTES'] as const;
const RIGHT_ALIGNED = new Set(['START', 'END', 'LENGTH', 'DIGITS', 'SCALE']);

export function formatLayoutTable(layout: CopybookLayout): string {
  const parts = [`copybook ${layout.source}  sha256 ${layout.hash}`];
  for (const record of layout.records) parts.push(formatRecord(record));
  return `${parts.join('\n\n')}\n`;
}

function formatRecord(record: RecordLayout): string {
  const rows: string[][] = [];
  const depthOf = new Map<string, number>();
  for (const f of walkFields(record.root)) {
    const parentPath = f.path.includes('.') ? f.path.slice(0, f.path.lastIndexOf('.')) : undefined;
    const depth = parentPath === undefined ? 0 : (depthOf.get(parentPath) ?? 0) + 1;
    depthOf.set(f.path, depth);
    rows.push(row(f, depth));
  }
  for (const r of record.renames) {
    rows.push([`66 ${r.name}`, '', '', String(r.offset + 1), String(r.offset + r.length), String(r.length), 'renames', '', '', '',
      `RENAMES ${r.from}${r.thru ? ` THRU ${r.thru}` : ''}`]);
  }
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (RIGHT_ALIGNED.has(HEADERS[i]) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [`RECORD ${record.name}  length ${record.length}`, fmt(HEADERS), ...rows.map(fmt)].join('\n');
}

function row(f: Field, depth: number): string[] {
  const level = String(f.level).padStart(2, '0');
  const name = `${'  '.repeat(depth)}${level} ${f.name}`;
  const extent = f.length * (f.occurs?.max ?? 1);
  const notes: string[] = [];
  if (f.occurs) {
    const o = f.occurs;
    notes.push(o.dependingOn ? `OCCURS ${o.min} TO ${o.max} DEPENDING ON ${o.dependingOn}` : `OCCURS ${o.max}`);
  }
  if (f.redefines) notes.push(`REDEFINES ${f.redefines}`);
  if (f.conditions) notes.push(`88: ${f.conditions.map((c) => c.name).join(', ')}`);
  const common = [name, '', '', String(f.offset + 1), String(f.offset + extent), String(f.length)];
  if (f.kind === 'group') return [...common.slice(0, 2), f.usage ?? '', ...common.slice(3), 'group', '', '', '', notes.join('; ')];
  const usage = f.usage ?? '';
  const picture = f.picture ?? '';
  let digits = '';
  let scale = '';
  let sign = '';
  let type: string = f.kind;
  switch (f.kind) {
    case 'zoned':
      sign = !f.signed ? 'unsigned' : `${f.signPosition}${f.signSeparate ? ' separate' : ''}`;
      digits = String(f.digits);
      scale = String(f.scale);
      break;
    case 'packed':
    case 'binary':
    case 'numeric-edited':
      sign = f.signed ? 'signed' : 'unsigned';
      digits = String(f.digits);
      scale = String(f.scale);
      if (f.kind === 'binary') type = `binary${f.bytes}${f.native ? ' native' : ''}${f.endianness === 'little' ? ' le' : ''}`;
      if (f.kind === 'packed' && f.unsignedNoNibble) type = 'packed no-sign';
      break;
    case 'float':
      type = `float${f.bytes} ${f.format}`;
      break;
    case 'alphanumeric':
      type = f.category === 'A' ? 'alphabetic' : 'alphanumeric';
      break;
    default:
      break;
  }
  return [name, picture, usage, ...common.slice(3), type, digits, scale, sign, notes.join('; ')];
}
