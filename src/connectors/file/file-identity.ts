/**
 * Which file a checkpoint is about. A name alone is not enough: the next night's batch file often
 * has the same name. Identity = name + size + inode + SHA-256 of the first block, so a restart
 * resumes inside the file it was reading, and a replaced file with the same name is read as new.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';

/** Bytes hashed at the start of a file: enough to tell two batch files apart, cheap to read. */
export const IDENTITY_BLOCK_BYTES = 4096;

export interface FileIdentity {
  readonly name: string;
  readonly size: number;
  readonly inode: number;
  /** SHA-256 (hex) of the first IDENTITY_BLOCK_BYTES bytes (fewer when the file is shorter). */
  readonly headSha256: string;
}

export async function identifyFile(path: string): Promise<FileIdentity> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    const head = Buffer.alloc(Math.min(IDENTITY_BLOCK_BYTES, stats.size));
    let filled = 0;
    while (filled < head.length) {
      const { bytesRead } = await handle.read(head, filled, head.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return {
      name: basename(path),
      size: stats.size,
      inode: stats.ino,
      headSha256: createHash('sha256').update(head.subarray(0, filled)).digest('hex'),
    };
  } finally {
    await handle.close();
  }
}

/** Same file: a checkpoint taken on `a` may be resumed on `b`. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.name === b.name && a.size === b.size && a.inode === b.inode && a.headSha256 === b.headSha256;
}

/** Short stable text of a file for event ids: name, size, inode and the first 12 hex of the head hash. */
export function fileKey(id: FileIdentity): string {
  return `${id.name}:${id.size}:${id.inode}:${id.headSha256.slice(0, 12)}`;
}
