/**
 * Column values of a CD row as the event's row image. The one place values are mapped until the
 * exact-type mapper (column-values.ts: GRAPHIC, FOR BIT DATA via copybooks, LOB limits, TIMESTAMP(0-12))
 * replaces it: binary as base64, numbers as numbers, everything else as the driver's text (DECIMAL,
 * BIGINT, DATE, TIME, TIMESTAMP arrive as exact text from the SQL port).
 */
import type { ColumnValue, RowImage } from './change-event.ts';
import type { CapturedColumn } from './captured-table.ts';
import type { SqlValue } from './sql-port.ts';

export function columnValue(_column: CapturedColumn, value: SqlValue): ColumnValue {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

export function rowImage(columns: readonly CapturedColumn[], values: readonly SqlValue[]): RowImage {
  const image: Record<string, ColumnValue> = {};
  for (let i = 0; i < columns.length; i++) image[columns[i]!.name] = columnValue(columns[i]!, values[i] ?? null);
  return image;
}

/** The entity key as a JSON object text (Kafka key), or null for a keyless table. */
export function keyText(columns: readonly CapturedColumn[], keyIndexes: readonly number[], values: readonly SqlValue[]): string | null {
  if (keyIndexes.length === 0) return null;
  const key: Record<string, ColumnValue> = {};
  for (const i of keyIndexes) key[columns[i]!.name] = columnValue(columns[i]!, values[i] ?? null);
  return JSON.stringify(key);
}
