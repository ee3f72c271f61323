/**
 * The codec as the decoder of a Kafka -> legacy bridge, the mirror of record-decisions.ts: each
 * event value (JSON, the mapping's output names) becomes the record bytes its copybook describes, in
 * the mapping's code page. A value that is not JSON, or that a field cannot hold, becomes a rejection
 * for the dead-letter topic naming the event, the field and the rule; the event's raw bytes travel
 * as the dead letter's value.
 */
import type { RecordDecision, RecordDecoder } from '../core/bridge-pipeline.ts';
import { ENCODE_RULES, EncodeError } from './errors.ts';
import type { DecodedRecord } from './compile/types.ts';
import type { FramingOptions } from './framing/options.ts';
import type { OpenedRecordCodec } from './index.ts';

/** `topic`: what the sink records are labelled with (a file sink ignores it). */
export function recordEncoder(codec: OpenedRecordCodec, topic: string): RecordDecoder {
  const fits = framingCheck(codec.framing);
  return (record): RecordDecision => {
    const where = `event ${record.positionId}`;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(record.bytes.buffer, record.bytes.byteOffset, record.bytes.byteLength).toString('utf8'));
    } catch (err) {
      return rejected('BANYAN_ERR_ENCODE_TYPE', `${where}: the value is not JSON (${(err as Error).message}); a record must be a JSON object`, codec.record.name);
    }
    try {
      const bytes = codec.encode(value as DecodedRecord);
      const problem = fits(bytes);
      if (problem !== undefined) return rejected('BANYAN_ERR_ENCODE_OCCURS', `${where}: ${problem}`, codec.record.name);
      return { kind: 'event', topic, key: null, value: bytes };
    } catch (err) {
      if (!(err instanceof EncodeError)) throw err;
      return rejected(err.code as keyof typeof ENCODE_RULES, `${where}: ${err.message}`, err.fieldPath);
    }
  };
}

function rejected(code: keyof typeof ENCODE_RULES, reason: string, fieldPath: string): RecordDecision {
  return { kind: 'rejected', rejection: { code, reason, rule: ENCODE_RULES[code], fieldPath } };
}

/**
 * What the file's record format cannot carry, checked per record so such an event is dead-lettered
 * instead of failing the whole file (the framing writer would reject it, BANYAN_ERR_FRAMING_WRONG_LENGTH).
 * The encoder writes every field, so only variable tables (OCCURS DEPENDING ON) change a length.
 */
function framingCheck(framing: FramingOptions): (bytes: Uint8Array) => string | undefined {
  switch (framing.format) {
    case 'F':
    case 'FB':
      return (b) => (b.length === framing.recordLength ? undefined : `encoded record has ${b.length} bytes, the ${framing.format} record length is ${framing.recordLength}`);
    case 'V':
    case 'VB': {
      // An RDW's length is 16 bits and counts its own 4 bytes (IBM z/OS DFSMS, "Variable-length records").
      const max = Math.min(framing.maxRecordLength ?? 0xffff - 4, 0xffff - 4);
      return (b) => (b.length > 0 && b.length <= max ? undefined : `encoded record has ${b.length} bytes, a ${framing.format} record holds 1..${max}`);
    }
    case 'length-field':
      return () => undefined;
  }
}
