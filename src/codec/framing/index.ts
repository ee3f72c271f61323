/**
 * Record framing: cutting a byte stream into records (F, FB, V, VB, or a length field) and the
 * reverse. Streams are read chunk by chunk with bounded buffering: memory holds one input chunk, at
 * most one record being assembled and the file trailer, so a file of any size frames in constant
 * memory (bench/codec-framing.bench.ts measures it on 1 GB).
 *
 *   readRecords(input, framing)        AsyncIterable<FramedRecord>, one record at a time
 *   readRecordBatches(input, framing)  AsyncIterable<FramedRecord[]>, the records of each input chunk
 *   readRecordsSync(bytes, framing)    Iterable<FramedRecord> over a buffer (an MQ message, a test)
 *   writeRecords(records, out, framing) / writeRecordsSync(records, framing)
 *   detectFraming(sample)              which V/VB/F framings fit the first bytes of a file
 *
 * Options are validated when these are called (BANYAN_ERR_FRAMING_OPTION), before any byte is read.
 */
import { FramingOptionErrors } from './errors.ts';
import { RecordFramer, type FramedRecord } from './framer.ts';
import { resolveFraming, type FramingOptions } from './options.ts';

export type { FramedRecord } from './framer.ts';
export { RecordFramer } from './framer.ts';
export type {
  DescriptorWordOptions,
  FixedBlockedFraming,
  FixedFraming,
  FramingOptions,
  LengthFieldFraming,
  RecordFormat,
  VariableBlockedFraming,
  VariableFraming,
} from './options.ts';
export { resolveFraming } from './options.ts';
export { FramingError, FRAMING_RULES, type FramingRule } from './errors.ts';
export { readRdw, readBdw, writeRdw, writeBdw } from './descriptor-words.ts';
export { writeRecords, writeRecordsSync, RecordWriter, type WriteOptions } from './writer.ts';
export { detectFraming, type DetectOptions, type FramingGuess } from './detect.ts';

export type FramingInput = AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;

/**
 * Yields each record of `input` in order. In 'stop' mode (default) a framing error rejects the
 * iteration after every record before it was yielded.
 */
export function readRecords(input: FramingInput, framing: FramingOptions): AsyncIterableIterator<FramedRecord> {
  return new RecordIterator(readRecordBatches(input, framing)[Symbol.asyncIterator]());
}

/** Like readRecords, but yields the records framed from each input chunk together (fewer awaits). */
export function readRecordBatches(input: FramingInput, framing: FramingOptions): AsyncIterable<FramedRecord[]> {
  const framer = new RecordFramer(resolveFraming(framing));
  return (async function* batches() {
    for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
      if (typeof chunk === 'string') {
        throw new FramingOptionErrors.BANYAN_ERR_FRAMING_INPUT('yielded a string: read binary data (no setEncoding on the stream)');
      }
      const out: FramedRecord[] = [];
      let failure: unknown;
      try {
        framer.push(chunk, out);
      } catch (err) {
        failure = err;
      }
      if (out.length > 0) yield out;
      if (failure !== undefined) throw failure;
    }
    const out: FramedRecord[] = [];
    let failure: unknown;
    try {
      framer.end(out);
    } catch (err) {
      failure = err;
    }
    if (out.length > 0) yield out;
    if (failure !== undefined) throw failure;
  })();
}

/** Frames a whole buffer; in 'stop' mode the error is thrown after the records before it. */
export function readRecordsSync(bytes: Uint8Array, framing: FramingOptions): Iterable<FramedRecord> {
  const framer = new RecordFramer(resolveFraming(framing));
  return (function* records() {
    const out: FramedRecord[] = [];
    let failure: unknown;
    try {
      framer.push(bytes, out);
      framer.end(out);
    } catch (err) {
      failure = err;
    }
    yield* out;
    if (failure !== undefined) throw failure;
  })();
}

/**
 * Hands out the records of each batch without an async generator: `yield*` inside an async generator
 * costs several promise turns per record, which made per-record iteration ~6x slower than batches
 * (bench/results/codec-framing.md).
 */
class RecordIterator implements AsyncIterableIterator<FramedRecord> {
  private batch: FramedRecord[] = [];
  private index = 0;

  private readonly batches: AsyncIterator<FramedRecord[]>;

  constructor(batches: AsyncIterator<FramedRecord[]>) {
    this.batches = batches;
  }

  next(): Promise<IteratorResult<FramedRecord>> {
    if (this.index < this.batch.length) return Promise.resolve({ value: this.batch[this.index++], done: false });
    return this.refill();
  }

  async return(): Promise<IteratorResult<FramedRecord>> {
    this.batch = [];
    await this.batches.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<FramedRecord> {
    return this;
  }

  private async refill(): Promise<IteratorResult<FramedRecord>> {
    for (;;) {
      const next = await this.batches.next();
      if (next.done) {
        this.batch = [];
        return { value: undefined, done: true };
      }
      if (next.value.length > 0) {
        this.batch = next.value;
        this.index = 1;
        return { value: next.value[0], done: false };
      }
    }
  }
}
