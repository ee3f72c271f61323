/**
 * Framing errors: the bytes between records (RDW, BDW, a length field) or the end of the input break
 * a rule of the record format. Each carries what an operator needs to find the spot in the file: the
 * record number the bad record would have had, the absolute byte offset of the bad header (or of the
 * truncated record), the bytes in hex and the rule. Never retriable: the same bytes fail the same way.
 */
import { BanyanError, defineErrors } from '../../core/errors.ts';

export const FRAMING_RULES = {
  BANYAN_ERR_FRAMING_BAD_RDW: 'record descriptor word (RDW) is not valid',
  BANYAN_ERR_FRAMING_BAD_BDW: 'block descriptor word (BDW) is not valid',
  BANYAN_ERR_FRAMING_BAD_LENGTH: 'record length taken from the record length field is not valid',
  BANYAN_ERR_FRAMING_ZERO_LENGTH: 'record length is zero',
  BANYAN_ERR_FRAMING_TRUNCATED: 'input ends inside a record, header or block',
  BANYAN_ERR_FRAMING_WRONG_LENGTH: 'record to write does not have the length the format requires',
} as const;

export type FramingRule = keyof typeof FRAMING_RULES;

defineErrors(Object.fromEntries(Object.entries(FRAMING_RULES).map(([code, rule]) => [code, { message: rule }])));

export const FramingOptionErrors = defineErrors({
  BANYAN_ERR_FRAMING_OPTION: { message: 'invalid framing option %s: %s' },
  BANYAN_ERR_FRAMING_INPUT: { message: 'framing input %s' },
});

export interface FramingErrorDetails {
  /** 1-based number the record would have had (records before it were delivered). */
  readonly recordNumber: number;
  /** 0-based offset in the whole input (file header included) of the bad header or record. */
  readonly byteOffset: number;
  /** The offending bytes as upper-case hex (at most 64 bytes). */
  readonly hex: string;
  /** What exactly is wrong, e.g. "RDW bytes 2-3 must be zero (spanned records are not supported)". */
  readonly detail: string;
}

export class FramingError extends BanyanError {
  readonly recordNumber: number;
  readonly byteOffset: number;
  readonly hex: string;
  /** The rule broken (FRAMING_RULES[code]) and the specific detail. */
  readonly rule: string;

  constructor(code: FramingRule, details: FramingErrorDetails) {
    const rule = `${FRAMING_RULES[code]}: ${details.detail}`;
    super(code, `record ${details.recordNumber} at byte offset ${details.byteOffset} [${details.hex}]: ${rule}`, { retriable: false });
    this.name = 'FramingError';
    this.recordNumber = details.recordNumber;
    this.byteOffset = details.byteOffset;
    this.hex = details.hex;
    this.rule = rule;
  }
}

/** Upper-case hex of bytes[start, end), capped at 64 bytes. */
export function hexOf(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const stop = Math.min(end, start + 64);
  let out = '';
  for (let i = start; i < stop; i++) out += HEX[bytes[i]];
  return stop < end ? `${out}...` : out;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));
