/** A snapshot chunk's last key as checkpoint text (initial and incremental snapshots): its SQL values as JSON, binary as {"hex": ...}. */
import type { SqlValue } from './sql-port.ts';

export function encodeKey(key: readonly SqlValue[]): string {
  return JSON.stringify(key.map((v) => (Buffer.isBuffer(v) ? { hex: v.toString('hex') } : v)));
}

export function decodeKey(text: string): SqlValue[] {
  return (JSON.parse(text) as Array<string | number | null | { hex: string }>).map((v) => (v !== null && typeof v === 'object' ? Buffer.from(v.hex, 'hex') : v));
}
