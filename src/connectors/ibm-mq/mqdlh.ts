/**
 * The dead-letter header (MQDLH, version 1) a message carries on a dead-letter queue, so the
 * queue manager's dead-letter handler (runmqdlq) and people can tell where it was going and why.
 * Used when a poison message's queue names no backout queue (BOQNAME).
 *
 * Layout (IBM MQ docs, "MQDLH - Dead-letter header"), 172 bytes, MQLONGs in the encoding of the
 * dead-letter message (native little-endian here: MQENC_NATIVE = 546 on x86-64 Linux), character
 * fields in its CCSID (ASCII-compatible 1208 here), blank-padded:
 *
 *   0  StrucId         CHAR4   'DLH '
 *   4  Version         MQLONG  1
 *   8  Reason          MQLONG  why (MQRC_* or MQFB_*)
 *  12  DestQName       CHAR48  where the message was going (here: the queue it was got from)
 *  60  DestQMgrName    CHAR48
 * 108  Encoding        MQLONG  of the original payload
 * 112  CodedCharSetId  MQLONG  of the original payload
 * 116  Format          CHAR8   of the original payload
 * 124  PutApplType     MQLONG  MQAT_UNKNOWN (-1): a bridge is no MQ application type
 * 128  PutApplName     CHAR28
 * 156  PutDate         CHAR8   YYYYMMDD
 * 164  PutTime         CHAR8   HHMMSSTH
 */

export const MQDLH_LENGTH = 172;
/** MQMD.Format of a message that starts with an MQDLH. */
export const MQFMT_DEAD_LETTER_HEADER = 'MQDEAD  ';
/** MQRC_BACKOUT_THRESHOLD_REACHED: the reason a bridge gives for a poison message. */
export const MQRC_BACKOUT_THRESHOLD_REACHED = 2362;
export const MQENC_NATIVE = 546;

export interface DeadLetterHeader {
  readonly reason: number;
  readonly destQName: string;
  readonly destQMgrName: string;
  readonly encoding: number;
  readonly ccsid: number;
  readonly format: string;
  readonly putApplName: string;
  readonly putAt: Date;
}

/** The 172 header bytes, to put in front of the original payload. */
export function encodeMqdlh(h: DeadLetterHeader): Buffer {
  const b = Buffer.alloc(MQDLH_LENGTH, 0x20);
  b.write('DLH ', 0, 'latin1');
  b.writeInt32LE(1, 4);
  b.writeInt32LE(h.reason, 8);
  text(b, 12, 48, h.destQName);
  text(b, 60, 48, h.destQMgrName);
  b.writeInt32LE(h.encoding, 108);
  b.writeInt32LE(h.ccsid, 112);
  text(b, 116, 8, h.format);
  b.writeInt32LE(-1, 124);
  text(b, 128, 28, h.putApplName);
  const iso = h.putAt.toISOString(); // 2026-12-02T04:40:00.123Z
  text(b, 156, 8, iso.slice(0, 10).replaceAll('-', ''));
  text(b, 164, 8, iso.slice(11, 19).replaceAll(':', '') + iso.slice(20, 22));
  return b;
}

/** Reads a header back (tests, and a later replay tool). */
export function decodeMqdlh(b: Uint8Array): DeadLetterHeader & { readonly payload: Uint8Array } {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length < MQDLH_LENGTH || buf.toString('latin1', 0, 4) !== 'DLH ') throw new Error('not an MQDLH: no "DLH " at offset 0');
  const t = (at: number, len: number) => buf.toString('latin1', at, at + len).trimEnd();
  const date = t(156, 8);
  const time = t(164, 8);
  return {
    reason: buf.readInt32LE(8),
    destQName: t(12, 48),
    destQMgrName: t(60, 48),
    encoding: buf.readInt32LE(108),
    ccsid: buf.readInt32LE(112),
    format: buf.toString('latin1', 116, 124),
    putApplName: t(128, 28),
    putAt: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}.${time.slice(6, 8)}0Z`),
    payload: buf.subarray(MQDLH_LENGTH),
  };
}

function text(b: Buffer, at: number, len: number, value: string): void {
  b.write(value.slice(0, len).padEnd(len, ' '), at, len, 'latin1');
}
