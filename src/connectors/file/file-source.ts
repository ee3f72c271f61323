/**
 * Source of a file bridge: the record files of a drop directory, one at a time in name order,
 * framed with the mapping's framing (F, FB, V, VB, headers and trailers), optionally gzipped.
 *
 * Position = the file being read (its identity) + the byte offset after the last committed record
 * and that record's number, plus the last file finished. A restart resumes mid-file; a file replaced
 * under the same name reads as new. A finished file is moved to `archive/` (or deleted, or kept)
 * only when its last batch is committed; a file that cannot be framed goes to `error/` with a
 * `<name>.reason` file beside it, after the records before the bad spot were committed.
 *
 * A drop directory that does not exist yet is created (at open, and again should it vanish while the
 * bridge runs), so a bridge can start before anyone has made its inbox and files dropped later are
 * read; `events.directoryCreated` reports it, for the caller to log.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { BatchLimits, SourceBatch, SourceIdle, SourcePosition, SourceRecord, Source } from '../../core/bridge-contracts.ts';
import { readRecordBatches, type FramedRecord, type FramingOptions } from '../../codec/framing/index.ts';
import { fileKey, identifyFile, sameFile, type FileIdentity } from './file-identity.ts';
import { listReadyFiles, type InboxRules } from './inbox.ts';

export type FinishedFileAction = 'archive' | 'delete' | 'keep';

export interface FileSourceOptions extends InboxRules {
  readonly dir: string;
  readonly framing: FramingOptions;
  /** What happens to a file once all its records are committed (default archive). */
  readonly finished?: FinishedFileAction;
  /** gunzip every file (`true`), none (`false`), or by name ending `.gz` (default). */
  readonly gzip?: boolean;
  readonly events?: FileSourceEvents;
}

/** Instrumentation: what the file source did on its own that an operator should hear about. */
export interface FileSourceEvents {
  /** The drop directory did not exist and was created (with its missing parents). */
  directoryCreated?(e: { readonly dir: string }): void;
}

/** The file source's position, as stored in a checkpoint. */
export interface FilePosition {
  /** The file being read and how far its records are committed; absent between files. */
  readonly current?: { readonly file: FileIdentity; readonly offset: number; readonly recordNumber: number };
  /** The last file finished: with `finished: keep` it and the names before it are not read again. */
  readonly lastFinished?: FileIdentity;
}

export function createFileSource(options: FileSourceOptions): Source {
  return new FileSource(options);
}

/** What the reader of one file hands back: a batch, and whether the file ended (cleanly or not). */
interface FileBatch {
  readonly records: SourceRecord[];
  /** Where reading resumes once the batch is committed: after its last record. */
  readonly resumeAt?: { readonly offset: number; readonly recordNumber: number };
  readonly end?: { readonly failure?: string };
}

class FileSource implements Source {
  readonly #o: FileSourceOptions;
  #position: FilePosition = {};
  #reader: FileReader | undefined;
  /**
   * The last file read to its end. The pipeline reads ahead while a batch is being written, so a
   * finished file can still be in the directory, not yet committed and moved: it must not be read again.
   */
  #readToEnd: FileIdentity | undefined;

  constructor(options: FileSourceOptions) {
    this.#o = options;
  }

  async open(from: SourcePosition | undefined): Promise<void> {
    // A checkpoint is the position of the last batch committed: read it as the state that commit left.
    this.#position = from ? afterCommit(from as unknown as FileBatchPosition) : {};
    this.#reader = undefined;
    this.#readToEnd = undefined;
    await this.#ensureDirectory();
  }

  async read(limits: BatchLimits, signal: AbortSignal): Promise<SourceBatch | SourceIdle> {
    if (signal.aborted) return { idle: 'waiting' };
    if (!this.#reader) {
      const next = await this.#nextFile();
      if (!next) return { idle: 'drained' };
      this.#reader = next;
    }
    const reader = this.#reader;
    const batch = await reader.next(limits);
    const finishedBefore = this.#lastReadToEnd();
    if (batch.end) {
      this.#reader = undefined;
      this.#readToEnd = reader.file;
    }
    const position: FileBatchPosition = {
      current: batch.resumeAt ? { file: reader.file, ...batch.resumeAt } : reader.startedAt,
      // The file finished before this one on the read side: its commit comes before this batch's.
      ...(finishedBefore ? { lastFinished: finishedBefore } : {}),
      ...(batch.end ? { ended: { failure: batch.end.failure ?? null } } : {}),
    };
    return { records: batch.records, position: position as unknown as SourcePosition };
  }

  async commit(position: SourcePosition): Promise<void> {
    const p = position as unknown as FileBatchPosition;
    if (p.ended && p.current) {
      const path = join(this.#o.dir, p.current.file.name);
      if (p.ended.failure !== null) await this.#moveTo('error', path, p.current.file.name, p.ended.failure);
      else if ((this.#o.finished ?? 'archive') === 'archive') await this.#moveTo('archive', path, p.current.file.name);
      else if (this.#o.finished === 'delete') await rm(path, { force: true });
    }
    this.#position = afterCommit(p);
  }

  async close(): Promise<void> {
    await this.#reader?.close();
    this.#reader = undefined;
  }

  /** The next file to read: the checkpoint's own file when it is still there, else the first ready one. */
  async #nextFile(): Promise<FileReader | undefined> {
    let names: string[];
    try {
      names = await listReadyFiles(this.#o.dir, this.#o);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await this.#ensureDirectory(); // removed while running: nothing to read until files arrive again
      return undefined;
    }
    const { current } = this.#position;
    const done = this.#lastReadToEnd();
    // Archived or deleted files leave the directory; only with `keep` does name order say what is done.
    const keep = this.#o.finished === 'keep';
    for (const name of names) {
      const file = await identifyFile(join(this.#o.dir, name));
      if (done && (sameFile(file, done) || (keep && name < done.name))) continue;
      const resume = current && sameFile(current.file, file) ? current : undefined;
      return new FileReader(join(this.#o.dir, name), file, this.#o, resume);
    }
    return undefined;
  }

  async #ensureDirectory(): Promise<void> {
    // mkdir -p answers the first directory it had to create, undefined when all were there.
    const created = await mkdir(this.#o.dir, { recursive: true });
    if (created !== undefined) this.#o.events?.directoryCreated?.({ dir: this.#o.dir });
  }

  #lastReadToEnd(): FileIdentity | undefined {
    return this.#readToEnd ?? this.#position.lastFinished;
  }

  async #moveTo(folder: 'archive' | 'error', path: string, name: string, reason?: string): Promise<void> {
    const dir = join(this.#o.dir, folder);
    await mkdir(dir, { recursive: true });
    if (reason !== undefined) await writeFile(join(dir, `${name}.reason`), `${reason}\n`);
    await rename(path, join(dir, name));
  }
}

/** A batch's position: the file position plus, on a file's last batch, how the file ended. */
interface FileBatchPosition extends FilePosition {
  readonly ended?: { readonly failure: string | null };
}

/** Where the source stands once the batch at `p` is committed: a finished file is no longer current. */
function afterCommit(p: FileBatchPosition): FilePosition {
  if (p.ended && p.current) return { lastFinished: p.current.file };
  return { ...(p.current ? { current: p.current } : {}), ...(p.lastFinished ? { lastFinished: p.lastFinished } : {}) };
}

/**
 * Frames one file from where its checkpoint left off. F and V records (and FB without blocks) can be
 * resumed by seeking to the byte after the last committed record; blocked, gzipped or header-bearing
 * files are framed from the start and the committed records skipped, since only a block boundary
 * or the file's start is a place the framer can begin at.
 */
class FileReader {
  readonly file: FileIdentity;
  readonly startedAt: { readonly file: FileIdentity; readonly offset: number; readonly recordNumber: number };
  readonly #key: string;
  readonly #seeked: boolean;
  /** What the framer's offsets and record numbers count from: the resume point after a seek, else the file's start. */
  readonly #base: { readonly offset: number; readonly recordNumber: number };
  readonly #iterator: AsyncIterator<FramedRecord[]>;
  readonly #stream: NodeJS.ReadableStream & { destroy(): void };
  #pending: FramedRecord[] = [];
  #ended = false;

  constructor(path: string, file: FileIdentity, o: FileSourceOptions, resume: FilePosition['current']) {
    this.file = file;
    this.#key = fileKey(file);
    this.startedAt = resume ?? { file, offset: 0, recordNumber: 0 };
    const gzip = o.gzip ?? file.name.toLowerCase().endsWith('.gz');
    this.#seeked = resume !== undefined && resume.offset > 0 && !gzip && seekable(o.framing);
    this.#base = this.#seeked ? this.startedAt : { offset: 0, recordNumber: 0 };
    const stream = createReadStream(path, this.#seeked ? { start: resume!.offset } : {});
    this.#stream = gzip ? stream.pipe(createGunzip()) : stream;
    const framing = this.#seeked ? { ...o.framing, fileStartOffset: 0 } : o.framing;
    this.#iterator = readRecordBatches(this.#stream, framing)[Symbol.asyncIterator]();
  }

  async next(limits: BatchLimits): Promise<FileBatch> {
    const records: SourceRecord[] = [];
    let resumeAt: FileBatch['resumeAt'];
    let bytes = 0;
    try {
      while (records.length < limits.maxRecords && (records.length === 0 || bytes < limits.maxBytes)) {
        if (this.#pending.length === 0) {
          if (this.#ended) break;
          const next = await this.#iterator.next();
          if (next.done) {
            this.#ended = true;
            break;
          }
          this.#pending = next.value;
          continue;
        }
        const framed = this.#pending.shift()!;
        const base = this.#base;
        const recordNumber = base.recordNumber + framed.recordNumber;
        if (recordNumber <= this.startedAt.recordNumber) continue; // committed before the restart
        const end = base.offset + framed.byteOffset + framed.bytes.length;
        records.push({ bytes: framed.bytes, recordNumber, positionId: `${this.#key}@${end}`, metadata: { 'banyan-file': this.file.name } });
        resumeAt = { offset: end, recordNumber };
        bytes += framed.bytes.length;
      }
    } catch (err) {
      await this.close();
      const failure = err instanceof Error ? `${(err as { code?: string }).code ?? 'ERROR'}: ${err.message}` : String(err);
      return { records, ...(resumeAt ? { resumeAt } : {}), end: { failure } };
    }
    const drained = this.#ended && this.#pending.length === 0;
    return { records, ...(resumeAt ? { resumeAt } : {}), ...(drained ? { end: {} } : {}) };
  }

  async close(): Promise<void> {
    this.#stream.destroy();
    await this.#iterator.return?.();
  }

}

function seekable(framing: FramingOptions): boolean {
  if (framing.format === 'F' || framing.format === 'V') return true;
  if (framing.format === 'FB') return framing.blockLength === undefined && framing.recordsPerBlock === undefined && !framing.bdw;
  return false;
}
