/**
 * Writes records in a record format (the reverse of framer.ts), for `banyan encode` and the Kafka ->
 * MQ / file direction. Output is gathered into 64 KiB chunks; a VB block is built whole before its BDW
 * is written (at most `blockLength` bytes, 32760 by default, the z/OS limit without LBI).
 */
import { once } from 'node:events';
import { DESCRIPTOR_WORD_LENGTH, writeBdw, writeRdw } from './descriptor-words.ts';
import { FramingError, FramingOptionErrors, hexOf } from './errors.ts';
import { MAX_BLOCK_WITHOUT_LBI, resolveFraming, type FramingOptions, type ResolvedFraming } from './options.ts';

export interface WriteOptions {
  /** File header bytes written first; its length must equal `fileStartOffset` (default none). */
  readonly header?: Uint8Array;
  /** File trailer bytes written last; its length must equal `fileEndOffset` (default none). */
  readonly footer?: Uint8Array;
}

/**
 * Frames every record of `records` and writes the result to `output`, honouring back-pressure.
 * Resolves when everything is written (the stream is not ended: the caller owns it). A record that
 * does not fit the format rejects with a FramingError (BANYAN_ERR_FRAMING_WRONG_LENGTH).
 */
export async function writeRecords(
  records: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  output: NodeJS.WritableStream,
  framing: FramingOptions,
  options: WriteOptions = {},
): Promise<void> {
  const writer = new RecordWriter(framing, options);
  const pending: Uint8Array[] = [];
  const emit = (chunk: Uint8Array) => pending.push(chunk);
  const drain = async () => {
    for (const chunk of pending.splice(0)) {
      if (!output.write(chunk)) await once(output as unknown as NodeJS.EventEmitter, 'drain');
    }
  };
  for await (const record of records) {
    writer.write(record, emit);
    if (pending.length > 0) await drain();
  }
  writer.end(emit);
  await drain();
}

/** Frames records into one buffer (messages, tests). */
export function writeRecordsSync(records: Iterable<Uint8Array>, framing: FramingOptions, options: WriteOptions = {}): Uint8Array {
  const writer = new RecordWriter(framing, options);
  const chunks: Uint8Array[] = [];
  for (const record of records) writer.write(record, (c) => chunks.push(c));
  writer.end((c) => chunks.push(c));
  return Buffer.concat(chunks);
}

const CHUNK = 64 * 1024;

/** The incremental writer: `write` each record, then `end`; framed bytes go to `emit` in chunks. */
export class RecordWriter {
  private readonly f: ResolvedFraming;
  private readonly footer: Uint8Array;
  private header: Uint8Array | undefined;
  private chunk = new Uint8Array(CHUNK);
  private chunkLen = 0;
  private records = 0;
  /** Bytes written so far (for error offsets). */
  private written = 0;
  /** VB and FB-with-BDW: the block being built (data after the BDW). */
  private block: Uint8Array | undefined;
  private blockLen = 0;
  /** FB with fixed blocks: bytes used in the current block. */
  private inFixedBlock = 0;
  private readonly maxBlockData: number;

  constructor(framing: FramingOptions, options: WriteOptions = {}) {
    this.f = resolveFraming(framing);
    const header = options.header ?? new Uint8Array(0);
    const footer = options.footer ?? new Uint8Array(0);
    if (header.length !== this.f.fileStartOffset) {
      throw new FramingOptionErrors.BANYAN_ERR_FRAMING_OPTION('header', `has ${header.length} bytes but fileStartOffset is ${this.f.fileStartOffset}`);
    }
    if (footer.length !== this.f.fileEndOffset) {
      throw new FramingOptionErrors.BANYAN_ERR_FRAMING_OPTION('footer', `has ${footer.length} bytes but fileEndOffset is ${this.f.fileEndOffset}`);
    }
    this.header = header.length > 0 ? header : undefined;
    this.footer = footer;
    const blockWithBdw = this.f.format === 'VB' ? this.f.blockLength : MAX_BLOCK_WITHOUT_LBI;
    this.maxBlockData = blockWithBdw - DESCRIPTOR_WORD_LENGTH;
    if (this.f.format === 'VB' || (this.f.format === 'FB' && this.f.bdw)) this.block = new Uint8Array(this.maxBlockData);
  }

  write(record: Uint8Array, emit: (chunk: Uint8Array) => void): void {
    if (this.header) {
      this.put(this.header, emit);
      this.header = undefined;
    }
    const f = this.f;
    const number = this.records + 1;
    switch (f.format) {
      case 'F':
      case 'FB': {
        if (record.length !== f.recordLength) this.wrong(number, record, `record has ${record.length} bytes, the format's record length is ${f.recordLength}`);
        if (f.bdw) {
          if (this.blockLen + record.length > this.maxBlockData) this.flushBlock(emit);
          this.addToBlock(record);
        } else {
          this.put(record, emit);
          if (f.blockLength > 0) {
            this.inFixedBlock += record.length;
            const room = f.blockLength - this.inFixedBlock;
            if (room < f.recordLength) {
              // Pad the block to its fixed size; the reader skips the padding.
              if (room > 0) this.put(new Uint8Array(room), emit);
              this.inFixedBlock = 0;
            }
          }
        }
        break;
      }
      case 'V': {
        const rdw = this.rdwFor(record, number);
        this.put(rdw, emit);
        this.put(record, emit);
        break;
      }
      case 'VB': {
        const rdw = this.rdwFor(record, number);
        const size = DESCRIPTOR_WORD_LENGTH + record.length;
        if (size > this.maxBlockData) {
          this.wrong(number, record, `record of ${record.length} bytes with its RDW does not fit a ${f.blockLength}-byte block`);
        }
        if (this.blockLen + size > this.maxBlockData) this.flushBlock(emit);
        this.addToBlock(rdw);
        this.addToBlock(record);
        break;
      }
      case 'length-field': {
        const prefix = record.subarray(0, f.bytesNeeded);
        let length = NaN;
        try {
          length = f.lengthOf!(prefix) + f.lengthAdjustment;
        } catch {
          // reported below
        }
        if (record.length < f.bytesNeeded || length !== record.length) {
          this.wrong(number, record, `record has ${record.length} bytes but its length field says ${length}`);
        }
        this.put(record, emit);
        break;
      }
    }
    this.records = number;
  }

  end(emit: (chunk: Uint8Array) => void): void {
    if (this.header) {
      this.put(this.header, emit);
      this.header = undefined;
    }
    if (this.block) this.flushBlock(emit);
    if (this.footer.length > 0) this.put(this.footer, emit);
    if (this.chunkLen > 0) {
      emit(this.chunk.subarray(0, this.chunkLen));
      this.chunk = new Uint8Array(CHUNK);
      this.chunkLen = 0;
    }
  }

  private rdwFor(record: Uint8Array, number: number): Uint8Array {
    const rdw = new Uint8Array(DESCRIPTOR_WORD_LENGTH);
    if (record.length === 0) this.wrong(number, record, 'a variable-length record needs at least one byte');
    if (record.length > this.f.maxRecordLength) this.wrong(number, record, `record of ${record.length} bytes exceeds maxRecordLength ${this.f.maxRecordLength}`);
    const problem = writeRdw(rdw, 0, record.length, this.f.rdw!);
    if (problem) this.wrong(number, record, problem);
    return rdw;
  }

  private addToBlock(bytes: Uint8Array): void {
    this.block!.set(bytes, this.blockLen);
    this.blockLen += bytes.length;
  }

  private flushBlock(emit: (chunk: Uint8Array) => void): void {
    if (this.blockLen === 0) return;
    const bdw = new Uint8Array(DESCRIPTOR_WORD_LENGTH);
    const problem = writeBdw(bdw, 0, this.blockLen, this.f.bdw!);
    if (problem) throw new FramingError('BANYAN_ERR_FRAMING_WRONG_LENGTH', { recordNumber: this.records, byteOffset: this.written, hex: '', detail: problem });
    this.put(bdw, emit);
    this.put(this.block!.subarray(0, this.blockLen), emit);
    this.blockLen = 0;
  }

  /** Appends bytes to the output chunk, emitting full chunks (copied: the chunk buffer is reused). */
  private put(bytes: Uint8Array, emit: (chunk: Uint8Array) => void): void {
    this.written += bytes.length;
    let pos = 0;
    while (pos < bytes.length) {
      const k = Math.min(CHUNK - this.chunkLen, bytes.length - pos);
      this.chunk.set(bytes.subarray(pos, pos + k), this.chunkLen);
      this.chunkLen += k;
      pos += k;
      if (this.chunkLen === CHUNK) {
        emit(this.chunk);
        this.chunk = new Uint8Array(CHUNK);
        this.chunkLen = 0;
      }
    }
  }

  private wrong(recordNumber: number, record: Uint8Array, detail: string): never {
    throw new FramingError('BANYAN_ERR_FRAMING_WRONG_LENGTH', { recordNumber, byteOffset: this.written, hex: hexOf(record, 0, Math.min(record.length, 16)), detail });
  }
}
