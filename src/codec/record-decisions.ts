/**
 * The codec as a bridge pipeline's decoder: each raw record becomes an event for its mapped topic
 * (JSON, decimals as exact strings, wide binaries as decimal strings), a rejection carrying the
 * field, offset, bytes and rule for the dead-letter topic, or a skip the mapping asked for.
 */
import type { RecordDecision, RecordDecoder } from '../core/bridge-pipeline.ts';
import type { EventProvenance } from '../core/bridge-headers.ts';
import { DECODE_RULES } from './errors.ts';
import type { OpenedRecordCodec } from './index.ts';

/** `defaultTopic`: where an event goes when neither its segment case nor the mapping names a topic. */
export function recordDecoder(codec: OpenedRecordCodec, defaultTopic: string): RecordDecoder {
  const toJson = eventJson();
  return (record): RecordDecision => {
    const out = codec.decode(record.bytes, record.recordNumber);
    if (out === null) return { kind: 'skipped' };
    if (out.kind === 'event') return { kind: 'event', topic: out.topic ?? defaultTopic, key: out.key, value: toJson(out.value) };
    const rule = out.rule ?? (DECODE_RULES as Record<string, string>)[out.code];
    return {
      kind: 'rejected',
      rejection: {
        code: out.code,
        reason: out.reason,
        ...(rule !== undefined ? { rule } : {}),
        ...(out.fieldPath !== undefined ? { fieldPath: out.fieldPath } : {}),
        ...(out.offset !== undefined ? { offset: out.offset } : {}),
        ...(out.hex !== undefined ? { hex: out.hex } : {}),
      },
    };
  };
}

/** What an event says about the mapping and copybook it was decoded with. */
export function codecProvenance(bridge: string, codec: OpenedRecordCodec, mappingName: string, mappingVersion: string): EventProvenance {
  return {
    bridge,
    mapping: { name: mappingName, version: mappingVersion },
    ...(codec.mapping ? { copybookSha256: codec.mapping.copybook.hash } : {}),
  };
}

/**
 * An event value as JSON, bigints as decimal strings. JSON.stringify without a replacer function
 * takes V8's fast path (1.4-2x faster on the benchmark's records, bench/results/bridge.md); a bigint
 * makes it throw a TypeError, and from then on this serializer always uses the replacer.
 */
export function eventJson(): (value: unknown) => string {
  let replacer: typeof exactJson | undefined;
  return (value) => {
    if (replacer === undefined) {
      try {
        return JSON.stringify(value);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        replacer = exactJson;
      }
    }
    return JSON.stringify(value, replacer);
  };
}

/** bigint (wide binary fields) as decimal strings: JSON has no exact integer type past 2^53. */
function exactJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
