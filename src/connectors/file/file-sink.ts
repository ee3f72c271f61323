/**
 * Sink of a Kafka -> file bridge: each batch becomes one or more record files for legacy batch
 * programs, framed like the mapping says (F, FB, V, VB, header and trailer), so a file bridge with
 * the same mapping reads them back.
 *
 * A file appears whole or not at all, and never twice. Each write:
 *   1. writes every file of the batch under a temporary name (`.<name>.tmp`, which a file source
 *      never reads) and fsyncs it;
 *   2. replaces the sink's state file (`.<bridge>.file-sink.json`, atomically) with the batch's
 *      source position and the temporary -> final names: from here the batch counts as written;
 *   3. renames the files into place and fsyncs the directory.
 * Only then does the pipeline commit the Kafka offsets. The state file is the bridge's checkpoint
 * (`checkpoints.load()`): a restart rolls forward the renames of step 3, deletes temporary files of
 * an unfinished step 1, and resumes after the recorded position even when the Kafka commit never
 * happened. A retried write whose position is the one recorded is already done and writes nothing.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeRecordsSync, type FramingOptions } from '../../codec/framing/index.ts';
import type { Sink, SinkRecord, SourcePosition } from '../../core/bridge-contracts.ts';
import type { CheckpointStore } from '../../core/bridge-pipeline.ts';
import { BanyanError } from '../../core/errors.ts';
import { replaceDurably, syncDirectory, writeSynced } from './durable-fs.ts';
import type { EnvelopeRenderer } from './file-envelope.ts';
import { FileErrors } from './errors.ts';

export interface FileSinkOptions {
  readonly dir: string;
  /** Names the state file: several bridges may write into one directory. */
  readonly bridge: string;
  /** File name template with `{seq}` (9 digits), e.g. `ORDERS.{seq}.DAT`. */
  readonly name: string;
  readonly framing: FramingOptions;
  /** A batch larger than this (framed bytes, header and trailer included) is split into several files. */
  readonly rollBytes: number;
  readonly header?: EnvelopeRenderer;
  readonly trailer?: EnvelopeRenderer;
  /** Injected for tests: the time `{date}` and `{time}` show. */
  readonly now?: () => Date;
}

export interface FileSink {
  readonly sink: Sink;
  /** The position recorded with the last files written; `save` is a no-op (write records it). */
  readonly checkpoints: CheckpointStore;
}

/** What the state file holds. */
export interface FileSinkState {
  readonly version: 1;
  /** Sequence number of the last file written. */
  readonly seq: number;
  /** Source position after the last batch written; null before the first. */
  readonly position: SourcePosition | null;
  /** The last batch's files: a restart renames those still under their temporary name. */
  readonly files: ReadonlyArray<{ readonly temp: string; readonly name: string; readonly records: number }>;
}

export function createFileSink(options: FileSinkOptions): FileSink {
  const writer = new FileBatchWriter(options);
  return {
    sink: {
      write: (records, position) => writer.write(records, position),
      async close() {},
    },
    checkpoints: {
      load: () => writer.recover(),
      async save() {},
    },
  };
}

const SEQ_DIGITS = 9;

class FileBatchWriter {
  readonly #o: FileSinkOptions;
  readonly #statePath: string;
  readonly #ours: RegExp;
  #state: FileSinkState | undefined;

  constructor(o: FileSinkOptions) {
    this.#o = o;
    this.#statePath = join(o.dir, `.${o.bridge}.file-sink.json`);
    const [before, after] = o.name.split('{seq}') as [string, string];
    this.#ours = new RegExp(`^${escapeRegExp(before)}(\\d{${SEQ_DIGITS},})${escapeRegExp(after)}$`);
  }

  /**
   * Brings the directory to the state last recorded: finished batches renamed into place, temporary
   * files of an unfinished one removed. Returns the recorded position.
   */
  async recover(): Promise<SourcePosition | undefined> {
    const state = await this.#readState();
    const names = await readdir(this.#o.dir);
    const present = new Set(names);
    for (const f of state.files) if (present.has(f.temp)) await rename(join(this.#o.dir, f.temp), join(this.#o.dir, f.name));
    const recorded = new Set(state.files.map((f) => f.temp));
    let highest = state.seq;
    for (const name of names) {
      const temp = /^\.(.+)\.tmp$/.exec(name);
      const final = this.#ours.exec(temp ? temp[1]! : name);
      if (!final) continue;
      if (temp && !recorded.has(name)) await rm(join(this.#o.dir, name), { force: true });
      // A sequence number is never reused, even when the state file was lost and the files kept.
      if (!temp) highest = Math.max(highest, Number(final[1]));
    }
    await rm(`${this.#statePath}.tmp`, { force: true });
    await syncDirectory(this.#o.dir);
    this.#state = { ...state, seq: highest };
    return state.position ?? undefined;
  }

  async write(records: readonly SinkRecord[], position: SourcePosition): Promise<void> {
    // First write without a load (a sink used alone), or a retry after a failed write: the
    // directory is whatever the last attempt left, so recover first.
    if (this.#state === undefined) await this.#recoverOrWrap();
    const state = this.#state!;
    if (state.position !== null && samePosition(state.position, position)) return; // a retry of a write that got through
    this.#state = undefined; // until this write completes, a retry must recover first
    let seq = state.seq;
    const files: Array<FileSinkState['files'][number]> = [];
    const at = (this.#o.now ?? (() => new Date()))();
    try {
      for (const group of this.#split(records)) {
        seq++;
        const name = this.#o.name.replace('{seq}', String(seq).padStart(SEQ_DIGITS, '0'));
        const temp = `.${name}.tmp`;
        const facts = { count: group.length, seq, at };
        const bytes = writeRecordsSync(group, this.#o.framing, {
          ...(this.#o.header ? { header: this.#o.header(facts) } : {}),
          ...(this.#o.trailer ? { footer: this.#o.trailer(facts) } : {}),
        });
        await writeSynced(join(this.#o.dir, temp), bytes);
        files.push({ temp, name, records: group.length });
      }
      const next: FileSinkState = { version: 1, seq, position, files };
      await replaceDurably(this.#statePath, Buffer.from(`${JSON.stringify(next)}\n`));
      for (const f of files) await rename(join(this.#o.dir, f.temp), join(this.#o.dir, f.name));
      if (files.length > 0) await syncDirectory(this.#o.dir);
      this.#state = next;
    } catch (err) {
      throw asWriteError(err, files.at(-1)?.name ?? 'the state file', this.#o.dir);
    }
  }

  /** The records of one batch, as the bytes of each file (split by `rollBytes`). */
  #split(records: readonly SinkRecord[]): Uint8Array[][] {
    const f = this.#o.framing;
    const fixed = (f.fileStartOffset ?? 0) + (f.fileEndOffset ?? 0);
    // Framed size: F/FB records as they are (block padding aside), V/VB with their 4-byte RDW.
    const overhead = f.format === 'V' || f.format === 'VB' ? 4 : 0;
    const groups: Uint8Array[][] = [];
    let current: Uint8Array[] = [];
    let bytes = fixed;
    for (const r of records) {
      const value = recordBytes(r);
      const size = value.length + overhead;
      if (current.length > 0 && bytes + size > this.#o.rollBytes) {
        groups.push(current);
        current = [];
        bytes = fixed;
      }
      current.push(value);
      bytes += size;
    }
    if (current.length > 0) groups.push(current);
    return groups;
  }

  async #recoverOrWrap(): Promise<void> {
    try {
      await this.recover();
    } catch (err) {
      throw asWriteError(err, 'recovery', this.#o.dir);
    }
  }

  async #readState(): Promise<FileSinkState> {
    let text: string;
    try {
      text = await readFile(this.#statePath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, seq: 0, position: null, files: [] };
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new FileErrors.BANYAN_ERR_FILE_SINK_STATE_INVALID(this.#statePath, (err as Error).message);
    }
    if (!isState(parsed)) throw new FileErrors.BANYAN_ERR_FILE_SINK_STATE_INVALID(this.#statePath, 'expected { version: 1, seq, position, files }');
    return parsed;
  }
}

function recordBytes(r: SinkRecord): Uint8Array {
  if (r.value instanceof Uint8Array) return r.value;
  throw new FileErrors.BANYAN_ERR_FILE_SINK_RECORD_INVALID(r.topic, r.value === null ? 'null' : 'text');
}

function asWriteError(err: unknown, what: string, dir: string): BanyanError {
  if (err instanceof BanyanError) return err;
  const e = err as NodeJS.ErrnoException;
  return new FileErrors.BANYAN_ERR_FILE_SINK_WRITE_FAILED(what, dir, `${e.code ?? e.name}: ${e.message}`, e instanceof Error ? e : undefined);
}

function samePosition(a: SourcePosition, b: SourcePosition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isState(v: unknown): v is FileSinkState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    s.version === 1 &&
    Number.isSafeInteger(s.seq) &&
    (s.position === null || (typeof s.position === 'object' && !Array.isArray(s.position))) &&
    Array.isArray(s.files) &&
    s.files.every((f: unknown) => typeof f === 'object' && f !== null && typeof (f as { temp?: unknown }).temp === 'string' && typeof (f as { name?: unknown }).name === 'string')
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
