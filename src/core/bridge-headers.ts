/**
 * The Kafka headers a bridge puts on what it publishes, so a consumer can deduplicate an event and
 * trace it to the bytes it came from, and a dead letter says exactly what was wrong with a record.
 * Names follow the `banyan-*` convention of the other Banyan headers (audit and mismatch records).
 */
import type { SourceRecord } from './bridge-contracts.ts';

/** What identifies the bridge and the mapping that produced an event. */
export interface EventProvenance {
  readonly bridge: string;
  /** Record mapping name (mappings/records/<name>.yaml) and its version. */
  readonly mapping?: { readonly name: string; readonly version: string };
  /** SHA-256 (hex) of the copybook text the record was laid out with. */
  readonly copybookSha256?: string;
}

/** Why a record could not become an event: everything the dead-letter entry carries. */
export interface RecordRejection {
  /** Stable code, e.g. BANYAN_ERR_DECODE_PACKED_NIBBLE. */
  readonly code: string;
  /** Human message naming record, field, offset, bytes and rule. */
  readonly reason: string;
  /** The rule broken, in words (the codec's DECODE_RULES text). */
  readonly rule?: string;
  readonly fieldPath?: string;
  /** 0-based byte offset of the field inside the record. */
  readonly offset?: number;
  /** The offending bytes in hex. */
  readonly hex?: string;
}

export const BRIDGE_HEADERS = {
  eventId: 'banyan-event-id',
  bridge: 'banyan-bridge',
  position: 'banyan-source-position',
  recordNumber: 'banyan-record-number',
  mapping: 'banyan-mapping',
  mappingVersion: 'banyan-mapping-version',
  copybookSha256: 'banyan-copybook-sha256',
  errorCode: 'banyan-error-code',
  errorReason: 'banyan-error-reason',
  errorRule: 'banyan-error-rule',
  errorField: 'banyan-error-field',
  errorOffset: 'banyan-error-offset',
  errorHex: 'banyan-error-hex',
} as const;

/**
 * The stable event id: the bridge name and the record's own position. A record read twice (after a
 * crash, before its commit) gets the same id, which is how consumers recognise the duplicate.
 */
export function eventId(bridge: string, record: Pick<SourceRecord, 'positionId'>): string {
  return `${bridge}/${record.positionId}`;
}

/** Headers of a published event: provenance, position and the source's own metadata. */
export function eventHeaders(provenance: EventProvenance, record: SourceRecord): Record<string, string | Uint8Array> {
  const headers: Record<string, string | Uint8Array> = { ...record.metadata };
  headers[BRIDGE_HEADERS.eventId] = eventId(provenance.bridge, record);
  headers[BRIDGE_HEADERS.bridge] = provenance.bridge;
  headers[BRIDGE_HEADERS.position] = record.positionId;
  headers[BRIDGE_HEADERS.recordNumber] = String(record.recordNumber);
  if (provenance.mapping) {
    headers[BRIDGE_HEADERS.mapping] = provenance.mapping.name;
    headers[BRIDGE_HEADERS.mappingVersion] = provenance.mapping.version;
  }
  if (provenance.copybookSha256) headers[BRIDGE_HEADERS.copybookSha256] = provenance.copybookSha256;
  return headers;
}

/** Headers of a dead-letter entry: the event headers plus what was wrong, field by field. */
export function deadLetterHeaders(provenance: EventProvenance, record: SourceRecord, rejection: RecordRejection): Record<string, string | Uint8Array> {
  const headers = eventHeaders(provenance, record);
  headers[BRIDGE_HEADERS.errorCode] = rejection.code;
  headers[BRIDGE_HEADERS.errorReason] = rejection.reason;
  if (rejection.rule !== undefined) headers[BRIDGE_HEADERS.errorRule] = rejection.rule;
  if (rejection.fieldPath !== undefined) headers[BRIDGE_HEADERS.errorField] = rejection.fieldPath;
  if (rejection.offset !== undefined) headers[BRIDGE_HEADERS.errorOffset] = String(rejection.offset);
  if (rejection.hex !== undefined) headers[BRIDGE_HEADERS.errorHex] = rejection.hex;
  return headers;
}
