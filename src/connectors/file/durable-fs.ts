/**
 * The three steps that make a file durable on POSIX file systems: write and fsync the file, rename
 * it into place (atomic within a directory: readers see the old name or the new, never half), then
 * fsync the directory so the rename itself survives a power cut (the rename(2) and fsync(2) man
 * pages; what SQLite and PostgreSQL do for their own files).
 */
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `bytes` to `path` (created or truncated) and fsyncs it before resolving. */
export async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` atomically: `<path>.tmp` written and fsynced, renamed over `path`, directory fsynced. */
export async function replaceDurably(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.tmp`;
  await writeSynced(temp, bytes);
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

/** fsyncs a directory, making the names created, renamed or removed in it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
