/**
 * Which files in a drop directory are complete and ready to read, in the order to read them.
 * Transfers (FTP, SFTP, Connect:Direct) write under a temporary name and rename when done, so names
 * ending `.tmp` or `.part` and dot-files are never read; with a trigger suffix (`.done`), a file is
 * ready only once `<name><suffix>` exists beside it, and the trigger files themselves are not data.
 */
import { readdir } from 'node:fs/promises';

export interface InboxRules {
  /** Glob on the file name (`*` and `?` only), e.g. `COMPANY.*.DAT`; every name when absent. */
  readonly pattern?: string;
  /** Only names that sort after this one (a fresh bridge skipping files already handled by other means). */
  readonly after?: string;
  /** e.g. `.done`: a file is ready only when its trigger file exists. */
  readonly triggerSuffix?: string;
}

const IN_TRANSFER = /\.(tmp|part)$/i;

/** The names of `names` that are ready to read, in name order (code-unit order, like `ls` in the C locale). */
export function readyFiles(names: readonly string[], rules: InboxRules): string[] {
  const present = new Set(names);
  const matches = rules.pattern === undefined ? () => true : globMatcher(rules.pattern);
  const trigger = rules.triggerSuffix;
  return names
    .filter((n) => !n.startsWith('.') && !IN_TRANSFER.test(n))
    .filter((n) => trigger === undefined || (!n.endsWith(trigger) && present.has(n + trigger)))
    .filter((n) => matches(n))
    .filter((n) => rules.after === undefined || n > rules.after)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Regular files in `dir` that are ready, in reading order. */
export async function listReadyFiles(dir: string, rules: InboxRules): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return readyFiles(entries.filter((e) => e.isFile()).map((e) => e.name), rules);
}

function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`);
  return (name) => re.test(name);
}
