/**
 * Record files for test/fixtures/bridges/crash/sequence.cpy (F, 25 bytes, cp037): record n carries
 * RECORD-NO n, account `A` + 7 digits of (n mod accounts) as its entity key, a COMP-3 amount and a
 * branch, so a test can tell every record apart by its number and keys spread over partitions.
 */

export const SEQUENCE_RECORD_LENGTH = 25;

/** The bytes of records 1..count, back to back (no RDW: fixed-length framing). */
export function sequenceFile(count: number, accounts = 5003): Buffer {
  const out = Buffer.alloc(count * SEQUENCE_RECORD_LENGTH);
  for (let n = 1; n <= count; n++) {
    const at = (n - 1) * SEQUENCE_RECORD_LENGTH;
    zoned(out, at, n, 8); // RECORD-NO PIC 9(8)
    out[at + 8] = 0xc1; // 'A' in cp037
    zoned(out, at + 9, n % accounts, 7); // rest of ACCOUNT-NO PIC X(8)
    packed(out, at + 16, (n * 7919) % 1_000_000_000); // AMOUNT PIC S9(7)V99 COMP-3, positive
    zoned(out, at + 21, n % 10_000, 4); // BRANCH PIC 9(4)
  }
  return out;
}

/** Unsigned DISPLAY digits in cp037 (0xF0-0xF9). */
function zoned(out: Buffer, at: number, value: number, digits: number): void {
  const text = String(value).padStart(digits, '0');
  for (let i = 0; i < digits; i++) out[at + i] = 0xf0 + text.charCodeAt(i) - 48;
}

/** 9 digits packed in 5 bytes, sign nibble C (IBM COBOL: C positive). */
function packed(out: Buffer, at: number, value: number): void {
  const nibbles = `${String(value).padStart(9, '0')}`.split('').map(Number);
  nibbles.push(0xc);
  for (let i = 0; i < 5; i++) out[at + i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
}
