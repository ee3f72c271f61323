/**
 * A response as the shadow comparison sees it: status, headers and a body buffered up to a cap.
 * The served response is captured by listening to the chunks it streams to the client (no copy
 * in the client's path); the mirrored one is read to its end and discarded.
 */
import type { Readable } from 'node:stream';

export interface CapturedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** True when the body exceeded the cap (then it is not compared). */
  readonly truncated: boolean;
  /** Set when the request failed before a response (timeout, connection error, open breaker). */
  readonly error?: string;
}

/** Collects the chunks a stream emits, up to `cap` bytes, without consuming it for anyone else. */
export function tapBody(stream: Readable, cap: number): Promise<{ body: Buffer; truncated: boolean; failed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => {
      if (truncated) return;
      size += chunk.length;
      if (size > cap) {
        truncated = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    stream.once('end', () => resolve({ body: Buffer.concat(chunks), truncated, failed: false }));
    stream.once('error', () => resolve({ body: Buffer.alloc(0), truncated, failed: true }));
    stream.once('close', () => resolve({ body: Buffer.concat(chunks), truncated, failed: !stream.readableEnded }));
  });
}

/** Reads a whole body (for mirrored requests), keeping at most `cap` bytes. */
export async function readCapped(stream: AsyncIterable<Buffer>, cap: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > cap) truncated = true;
    else chunks.push(chunk);
  }
  return { body: truncated ? Buffer.alloc(0) : Buffer.concat(chunks), truncated };
}
