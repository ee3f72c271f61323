/**
 * Kafka keys of CDC records. A change event's key is its entity key columns as a JSON object
 * (change-event.ts), e.g. {"ACCOUNT_ID":"1001"}; the transaction topic is keyed by the transaction
 * id (the commit_lsn hex). One serialisation for every writer and reader, so equal keys are equal
 * bytes and Kafka's partitioner sends them to one partition.
 */
import type { ColumnValue } from './change-event.ts';

/** Entity key: key column -> value, in the configured key column order. */
export type EntityKey = { readonly [column: string]: ColumnValue };

/** The key's Kafka bytes as text: JSON with the columns in the order given. */
export function entityKeyText(key: EntityKey): string {
  return JSON.stringify(key);
}
