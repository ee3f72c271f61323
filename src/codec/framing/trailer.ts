/**
 * Holds back the last `size` bytes of a stream (the file trailer, Cobrix `file_end_offset`): only the
 * end of the input tells which bytes they are, so each chunk releases what can no longer be part of
 * the trailer. Memory: `size` bytes. Released bytes from a new chunk are views of it; bytes released
 * from the held tail are a fresh copy (so record views into them stay valid).
 */
export class TrailerHoldback {
  private tail: Uint8Array = new Uint8Array(0);

  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  /** Passes to `sink`, in order, every byte of `chunk` (and of the held tail) that is not trailer. */
  release(chunk: Uint8Array, sink: (bytes: Uint8Array) => void): void {
    const total = this.tail.length + chunk.length;
    const release = total - this.size;
    if (release <= 0) {
      const grown = new Uint8Array(total);
      grown.set(this.tail);
      grown.set(chunk, this.tail.length);
      this.tail = grown;
      return;
    }
    const fromTail = Math.min(release, this.tail.length);
    const fromChunk = release - fromTail;
    const nextTail = new Uint8Array(this.size);
    nextTail.set(this.tail.subarray(fromTail));
    nextTail.set(chunk.subarray(fromChunk), this.tail.length - fromTail);
    const released = this.tail.subarray(0, fromTail);
    this.tail = nextTail;
    if (released.length > 0) sink(released);
    if (fromChunk > 0) sink(chunk.subarray(0, fromChunk));
  }

  /** The bytes held so far: the whole trailer once the input has ended, if the input was long enough. */
  get held(): Uint8Array {
    return this.tail;
  }
}
