/**
 * The incremental record framer behind readRecords: fed input chunks of any size, it cuts them into
 * records without ever holding more than one record (plus a 4-byte word and the file trailer) in
 * memory. A record that lies inside one chunk is returned as a view of that chunk (no copy); one that
 * spans chunks is assembled into a fresh buffer.
 *
 * Grammar per format (IBM z/OS DFSMS record formats; descriptor words in descriptor-words.ts):
 *   file    = header(fileStartOffset) body trailer(fileEndOffset)
 *   F       = record(recordLength)*
 *   FB      = ( record(recordLength)* padding )*                 fixed blocks of blockLength
 *           | ( BDW record(recordLength)* )*                     with bdw
 *   V       = ( RDW data(RDW length) )*
 *   VB      = ( BDW ( RDW data(RDW length) )* )*                RDWs fill the block exactly
 *   length-field = ( record(recordLength(first bytesNeeded bytes) + adjustment) )*
 */
import { DESCRIPTOR_WORD_LENGTH, readBdw, readRdw, type WordReading } from './descriptor-words.ts';
import { FramingError, hexOf, type FramingRule } from './errors.ts';
import type { ResolvedFraming } from './options.ts';
import { TrailerHoldback } from './trailer.ts';

export interface FramedRecord {
  /** The record's data (RDW excluded). May be a view into an input chunk: copy it before mutating. */
  readonly bytes: Uint8Array;
  /** 1-based position of the record in the input. */
  readonly recordNumber: number;
  /** 0-based offset in the whole input (file header included) of the record's first data byte. */
  readonly byteOffset: number;
}

// A plain object, not a const enum: Node's type stripping runs erasable TypeScript only.
const Phase = {
  Fixed: 0,
  FixedBlockBdw: 1,
  Rdw: 2,
  Data: 3,
  VariableBlockBdw: 4,
  LengthPrefix: 5,
  LengthRecord: 6,
  ScanRdw: 7,
  ScanBdw: 8,
  Ended: 9,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** Smallest VB block: an RDW and one byte of data. */
const MIN_VB_BLOCK_DATA = DESCRIPTOR_WORD_LENGTH + 1;

export class RecordFramer {
  private readonly f: ResolvedFraming;
  private phase: Phase;
  /** Bytes the current phase needs before it can act. */
  private need: number;
  /** Bytes still to skip (file header, block padding, the rest of a bad block). */
  private skip: number;
  /** Assembly buffer for a unit spanning chunks, and how much of it is filled. */
  private asm: Uint8Array | undefined;
  private asmLen = 0;
  /** Absolute input offset of the first byte not yet consumed by a finished unit or a skip. */
  private offset = 0;
  private records = 0;
  /** Bytes left in the current block (FB with blocks, VB); -1 when the format has no blocks. */
  private blockRemaining = -1;
  /** Offset of the RDW or length prefix of the record being read (for error messages). */
  private recordHeaderOffset = 0;
  private readonly word = new Uint8Array(DESCRIPTOR_WORD_LENGTH);
  private readonly window = new Uint8Array(DESCRIPTOR_WORD_LENGTH);
  private windowLen = 0;
  /** Holds back the file trailer (fileEndOffset bytes), if any. */
  private readonly trailer: TrailerHoldback | undefined;

  constructor(framing: ResolvedFraming) {
    this.f = framing;
    this.skip = framing.fileStartOffset;
    this.trailer = framing.fileEndOffset > 0 ? new TrailerHoldback(framing.fileEndOffset) : undefined;
    switch (framing.format) {
      case 'F':
        this.phase = Phase.Fixed;
        this.need = framing.recordLength;
        break;
      case 'FB':
        if (framing.bdw) {
          this.phase = Phase.FixedBlockBdw;
          this.need = DESCRIPTOR_WORD_LENGTH;
        } else {
          this.phase = Phase.Fixed;
          this.need = framing.recordLength;
          if (framing.blockLength > 0) this.blockRemaining = framing.blockLength;
        }
        break;
      case 'V':
        this.phase = Phase.Rdw;
        this.need = DESCRIPTOR_WORD_LENGTH;
        break;
      case 'VB':
        this.phase = Phase.VariableBlockBdw;
        this.need = DESCRIPTOR_WORD_LENGTH;
        break;
      case 'length-field':
        this.phase = Phase.LengthPrefix;
        this.need = framing.bytesNeeded;
        break;
    }
  }

  /**
   * Frames the next input chunk, appending finished records to `out`. In 'stop' mode a framing error
   * is thrown once `out` holds every record before it; the framer must not be used after that.
   */
  push(chunk: Uint8Array, out: FramedRecord[]): void {
    if (this.trailer) this.trailer.release(chunk, (bytes) => this.frame(bytes, out));
    else this.frame(chunk, out);
  }

  /** Signals the end of the input: a record, header or block left incomplete is a framing error. */
  end(out: FramedRecord[]): void {
    void out; // no record completes at the end; kept for symmetry with push
    const next = this.records + 1;
    const { fileStartOffset, fileEndOffset } = this.f;
    const held = this.trailer?.held.length ?? 0;
    if (this.offset === 0 && this.asmLen === 0 && this.skip === fileStartOffset && held === 0) return; // empty input
    if (this.skip > 0 && this.offset < fileStartOffset) {
      this.fail('BANYAN_ERR_FRAMING_TRUNCATED', next, this.offset, '', `input ends ${this.skip} bytes before the end of the ${fileStartOffset}-byte file header`);
      return;
    }
    if (held < fileEndOffset) {
      this.fail('BANYAN_ERR_FRAMING_TRUNCATED', next, this.offset, hexOf(this.trailer!.held), `input ends inside the ${fileEndOffset}-byte file trailer`);
      return;
    }
    switch (this.phase) {
      case Phase.ScanRdw:
      case Phase.ScanBdw:
      case Phase.Ended:
        return;
      default:
    }
    if (this.asmLen > 0) {
      const what = this.describeUnit();
      this.fail('BANYAN_ERR_FRAMING_TRUNCATED', next, this.unitOffset(), hexOf(this.asm ?? this.word, 0, this.asmLen), `input ends ${this.asmLen} bytes into ${what}`);
      return;
    }
    if (this.phase === Phase.Data) {
      this.fail('BANYAN_ERR_FRAMING_TRUNCATED', next, this.recordHeaderOffset, '', `RDW announces ${this.need} bytes but the input ends after it`);
      return;
    }
    if (this.blockRemaining > 0 && (this.phase === Phase.Rdw || (this.phase === Phase.Fixed && this.f.bdw))) {
      this.fail('BANYAN_ERR_FRAMING_TRUNCATED', next, this.offset, '', `input ends ${this.blockRemaining} bytes before the end of the block its BDW announced`);
    }
  }

  private frame(chunk: Uint8Array, out: FramedRecord[]): void {
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, n - pos);
        this.skip -= k;
        pos += k;
        this.offset += k;
        continue;
      }
      const phase = this.phase;
      if (phase === Phase.Ended) {
        this.offset += n - pos;
        return;
      }
      if (phase === Phase.ScanRdw || phase === Phase.ScanBdw) {
        pos = this.scan(chunk, pos);
        continue;
      }
      const need = this.need;
      let unit: Uint8Array;
      if (this.asmLen === 0 && n - pos >= need) {
        if (phase === Phase.LengthPrefix) {
          pos = this.lengthFieldInPlace(chunk, pos, out);
          continue;
        }
        unit = chunk.subarray(pos, pos + need);
        pos += need;
      } else {
        if (this.asmLen === 0) this.asm = this.isWordPhase() ? this.word : new Uint8Array(need);
        const asm = this.asm as Uint8Array;
        const k = Math.min(need - this.asmLen, n - pos);
        asm.set(chunk.subarray(pos, pos + k), this.asmLen);
        this.asmLen += k;
        pos += k;
        if (this.asmLen < need) return;
        unit = asm;
        this.asmLen = 0;
        this.asm = undefined;
      }
      const start = this.phase === Phase.LengthRecord ? this.recordHeaderOffset : this.offset;
      this.offset = start + need;
      this.onUnit(unit, start, out);
    }
  }

  private isWordPhase(): boolean {
    const p = this.phase;
    return p === Phase.Rdw || p === Phase.VariableBlockBdw || p === Phase.FixedBlockBdw;
  }

  /** A whole unit (record, word) is available at absolute offset `start`. */
  private onUnit(unit: Uint8Array, start: number, out: FramedRecord[]): void {
    const f = this.f;
    switch (this.phase) {
      case Phase.Fixed:
        this.emit(unit, start, out);
        if (this.blockRemaining >= 0) {
          this.blockRemaining -= unit.length;
          if (this.blockRemaining < f.recordLength) this.endFixedBlock();
        }
        return;
      case Phase.FixedBlockBdw: {
        const r = readBdw(unit, 0, f.bdw!, f.recordLength);
        if (!r.ok) return this.badBdw(unit, start, r);
        this.blockRemaining = r.length;
        this.phase = Phase.Fixed;
        this.need = f.recordLength;
        if (r.length % f.recordLength !== 0) {
          this.fail('BANYAN_ERR_FRAMING_BAD_BDW', this.records + 1, start, hexOf(unit), `block of ${r.length} bytes is not a multiple of the ${f.recordLength}-byte record length`);
          // resync: read the whole records, skip the rest (endFixedBlock does)
        }
        return;
      }
      case Phase.VariableBlockBdw: {
        const r = readBdw(unit, 0, f.bdw!, MIN_VB_BLOCK_DATA);
        if (!r.ok) return this.badBdw(unit, start, r);
        this.blockRemaining = r.length;
        this.phase = Phase.Rdw;
        this.need = DESCRIPTOR_WORD_LENGTH;
        return;
      }
      case Phase.Rdw:
        return this.onRdw(unit, start);
      case Phase.Data:
        this.emit(unit, start, out);
        if (this.blockRemaining >= 0) {
          this.blockRemaining -= unit.length;
          this.nextInVariableBlock();
        } else {
          this.phase = Phase.Rdw;
          this.need = DESCRIPTOR_WORD_LENGTH;
        }
        return;
      case Phase.LengthPrefix: {
        // The prefix spanned chunks: start assembling the whole record from it.
        this.recordHeaderOffset = start;
        const length = this.lengthFromField(unit, start);
        if (length < 0) return;
        if (length === unit.length) {
          this.emit(unit, start, out);
          return;
        }
        const record = new Uint8Array(length);
        record.set(unit);
        this.asm = record;
        this.asmLen = unit.length;
        this.phase = Phase.LengthRecord;
        this.need = length;
        this.offset = start;
        return;
      }
      case Phase.LengthRecord:
        this.emit(unit, start, out);
        this.phase = Phase.LengthPrefix;
        this.need = f.bytesNeeded;
        return;
      default:
        throw new Error(`framer in phase ${this.phase} received a unit`);
    }
  }

  private onRdw(word: Uint8Array, start: number): void {
    const f = this.f;
    this.recordHeaderOffset = start;
    const inBlock = this.blockRemaining >= 0;
    if (inBlock) this.blockRemaining -= DESCRIPTOR_WORD_LENGTH;
    const r = readRdw(word, 0, f.rdw!, f.maxRecordLength);
    if (r.ok && (!inBlock || r.length <= this.blockRemaining)) {
      this.phase = Phase.Data;
      this.need = r.length;
      return;
    }
    const detail = r.ok ? `record of ${r.length} bytes overruns its block, which has ${this.blockRemaining} bytes left` : r.detail;
    const zero = !r.ok && r.zero;
    this.fail(zero ? 'BANYAN_ERR_FRAMING_ZERO_LENGTH' : 'BANYAN_ERR_FRAMING_BAD_RDW', this.records + 1, start, hexOf(word), detail);
    // resync
    if (inBlock) {
      if (zero) return this.nextInVariableBlock();
      this.skip = this.blockRemaining;
      this.blockRemaining = 0;
      return this.nextInVariableBlock();
    }
    if (zero) return; // next RDW follows directly
    this.startScan(Phase.ScanRdw, word);
  }

  private badBdw(word: Uint8Array, start: number, r: Extract<WordReading, { ok: false }>): void {
    this.fail(r.zero ? 'BANYAN_ERR_FRAMING_ZERO_LENGTH' : 'BANYAN_ERR_FRAMING_BAD_BDW', this.records + 1, start, hexOf(word), r.detail);
    if (r.zero) return; // an empty block: the next BDW follows directly
    this.startScan(Phase.ScanBdw, word);
  }

  /** After a VB record or a skipped bad one: the next RDW, or the next block's BDW. */
  private nextInVariableBlock(): void {
    if (this.skip > 0 || this.blockRemaining === 0) {
      this.blockRemaining = 0;
      this.phase = Phase.VariableBlockBdw;
      this.need = DESCRIPTOR_WORD_LENGTH;
      return;
    }
    if (this.blockRemaining < MIN_VB_BLOCK_DATA) {
      this.fail('BANYAN_ERR_FRAMING_BAD_RDW', this.records + 1, this.offset, '', `block ends with ${this.blockRemaining} bytes, too few for an RDW and data`);
      this.skip = this.blockRemaining;
      this.blockRemaining = 0;
      this.phase = Phase.VariableBlockBdw;
      this.need = DESCRIPTOR_WORD_LENGTH;
      return;
    }
    this.phase = Phase.Rdw;
    this.need = DESCRIPTOR_WORD_LENGTH;
  }

  /** FB: the rest of a block too short for a record is padding; then the next block starts. */
  private endFixedBlock(): void {
    this.skip = this.blockRemaining;
    if (this.f.bdw) {
      this.blockRemaining = -1;
      this.phase = Phase.FixedBlockBdw;
      this.need = DESCRIPTOR_WORD_LENGTH;
    } else {
      this.blockRemaining = this.f.blockLength;
    }
  }

  private startScan(phase: typeof Phase.ScanRdw | typeof Phase.ScanBdw, badWord: Uint8Array): void {
    // Resume the search one byte after the start of the bad word.
    this.window.set(badWord.subarray(0, DESCRIPTOR_WORD_LENGTH));
    this.windowLen = DESCRIPTOR_WORD_LENGTH - 1;
    this.window.copyWithin(0, 1);
    this.blockRemaining = -1;
    this.phase = phase;
  }

  /** Resync: slide a 4-byte window until it holds a plausible RDW / BDW. */
  private scan(chunk: Uint8Array, pos: number): number {
    const f = this.f;
    const w = this.window;
    const n = chunk.length;
    while (pos < n) {
      if (this.windowLen === DESCRIPTOR_WORD_LENGTH) w.copyWithin(0, 1);
      else this.windowLen++;
      w[DESCRIPTOR_WORD_LENGTH - 1] = chunk[pos++];
      this.offset++;
      if (this.windowLen < DESCRIPTOR_WORD_LENGTH) continue;
      const headerStart = this.offset - DESCRIPTOR_WORD_LENGTH;
      if (this.phase === Phase.ScanRdw) {
        const r = readRdw(w, 0, f.rdw!, f.maxRecordLength);
        if (!r.ok) continue;
        this.recordHeaderOffset = headerStart;
        this.phase = Phase.Data;
        this.need = r.length;
      } else {
        const fb = f.format === 'FB';
        const r = readBdw(w, 0, f.bdw!, fb ? f.recordLength : MIN_VB_BLOCK_DATA);
        if (!r.ok || (fb && r.length % f.recordLength !== 0)) continue;
        this.blockRemaining = r.length;
        this.phase = fb ? Phase.Fixed : Phase.Rdw;
        this.need = fb ? f.recordLength : DESCRIPTOR_WORD_LENGTH;
      }
      this.windowLen = 0;
      return pos;
    }
    return pos;
  }

  /** length-field fast path: prefix and (usually) the whole record inside the current chunk. */
  private lengthFieldInPlace(chunk: Uint8Array, pos: number, out: FramedRecord[]): number {
    const start = this.offset;
    this.recordHeaderOffset = start;
    const length = this.lengthFromField(chunk.subarray(pos, pos + this.f.bytesNeeded), start);
    if (length < 0) return pos + this.f.bytesNeeded;
    const available = chunk.length - pos;
    if (available >= length) {
      this.offset = start + length;
      this.emit(chunk.subarray(pos, pos + length), start, out);
      return pos + length;
    }
    const record = new Uint8Array(length);
    record.set(chunk.subarray(pos));
    this.asm = record;
    this.asmLen = available;
    this.phase = Phase.LengthRecord;
    this.need = length;
    return chunk.length;
  }

  /** Calls the caller's length function; on a bad result reports it and returns -1. */
  private lengthFromField(prefix: Uint8Array, start: number): number {
    const f = this.f;
    let length: number;
    let cause: unknown;
    try {
      length = f.lengthOf!(prefix) + f.lengthAdjustment;
    } catch (err) {
      length = NaN;
      cause = err;
    }
    if (Number.isSafeInteger(length) && length >= f.bytesNeeded && length <= f.maxRecordLength) return length;
    const detail =
      cause !== undefined
        ? `the length function failed: ${cause instanceof Error ? cause.message : String(cause)}`
        : length === 0
          ? 'record length field gives 0'
          : `record length ${length} is not an integer between the ${f.bytesNeeded} bytes needed to read it and maxRecordLength ${f.maxRecordLength}`;
    const code: FramingRule = length === 0 ? 'BANYAN_ERR_FRAMING_ZERO_LENGTH' : 'BANYAN_ERR_FRAMING_BAD_LENGTH';
    this.offset = start + prefix.length;
    this.phase = Phase.Ended; // resync: nothing tells where the next record starts
    this.fail(code, this.records + 1, start, hexOf(prefix), detail, cause);
    return -1;
  }

  private emit(bytes: Uint8Array, byteOffset: number, out: FramedRecord[]): void {
    out.push({ bytes, recordNumber: ++this.records, byteOffset });
  }

  private describeUnit(): string {
    switch (this.phase) {
      case Phase.Rdw:
        return 'an RDW';
      case Phase.FixedBlockBdw:
      case Phase.VariableBlockBdw:
        return 'a BDW';
      case Phase.LengthPrefix:
        return `the ${this.need}-byte record length prefix`;
      default:
        return `a ${this.need}-byte record`;
    }
  }

  private unitOffset(): number {
    return this.phase === Phase.LengthRecord ? this.recordHeaderOffset : this.offset;
  }

  private fail(code: FramingRule, recordNumber: number, byteOffset: number, hex: string, detail: string, cause?: unknown): void {
    const error = new FramingError(code, { recordNumber, byteOffset, hex, detail });
    if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
    if (this.f.onError === 'stop') {
      this.phase = Phase.Ended;
      throw error;
    }
    this.f.onFramingError?.(error);
  }
}
