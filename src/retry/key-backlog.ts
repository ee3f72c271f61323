/**
 * Per-key order through the retry path (`ordering: key`; Confluent's "maintain order" pattern):
 * once a key has a record in retry, every later record of that key joins the key's backlog and
 * follows it, and only the backlog's head is attempted. Each record of the backlog has a sequence
 * number (carried in its `banyan-retry-key-seq` header) and the tier it sits in now.
 *
 * Invariant: by sequence, the backlog's records sit in non-decreasing tiers, and records in the
 * same tier in sequence order (a follower joins the tier of the key's last record; a head that
 * moves on goes to the end of the next tier, and the followers left behind move after it when
 * their turn comes). So the head is always the first of its key to come up in its tier.
 *
 * The backlog lives in memory and, after every change, in a compacted topic (key-backlog-store.ts),
 * so it survives a restart: a record's sequence number is written before its backlog entry, and a
 * record that comes up with a sequence already resolved (< next, not outstanding) is a duplicate
 * left by a crash between the two writes.
 */

export interface BacklogEntry {
  readonly seq: number;
  readonly tier: number;
}

/** One key's backlog: `next` is the sequence number the next record joining it gets. */
export interface KeyBacklog {
  readonly next: number;
  /** In sequence order; empty: the key is not in retry. */
  readonly outstanding: readonly BacklogEntry[];
}

export const EMPTY_BACKLOG: KeyBacklog = { next: 1, outstanding: [] };

/** A record joins the backlog in `tier`; returns the new backlog and the record's sequence number. */
export function joinBacklog(b: KeyBacklog, tier: number): { backlog: KeyBacklog; seq: number } {
  const seq = b.next;
  return { backlog: { next: seq + 1, outstanding: [...b.outstanding, { seq, tier }] }, seq };
}

/** Record `seq` moved to `tier`. */
export function moveInBacklog(b: KeyBacklog, seq: number, tier: number): KeyBacklog {
  return { ...b, outstanding: b.outstanding.map((e) => (e.seq === seq ? { seq, tier } : e)) };
}

/** Record `seq` is done with (delivered or parked): the next one becomes the head. */
export function leaveBacklog(b: KeyBacklog, seq: number): KeyBacklog {
  return { ...b, outstanding: b.outstanding.filter((e) => e.seq !== seq) };
}

/** A record whose entry was lost (crash between its write and the backlog's) takes its place again. */
export function adoptIntoBacklog(b: KeyBacklog, seq: number, tier: number): KeyBacklog {
  const outstanding = [...b.outstanding.filter((e) => e.seq !== seq), { seq, tier }].sort((x, y) => x.seq - y.seq);
  return { next: Math.max(b.next, seq + 1), outstanding };
}

/** The tier the key's last record sits in (where a new follower goes), or undefined when the key is not in retry. */
export function lastTier(b: KeyBacklog): number | undefined {
  return b.outstanding.at(-1)?.tier;
}

/** Backlog <-> the compacted topic's value (JSON). */
export function encodeBacklog(b: KeyBacklog): string {
  return JSON.stringify({ next: b.next, outstanding: b.outstanding.map((e) => [e.seq, e.tier]) });
}

export function decodeBacklog(text: string): KeyBacklog | undefined {
  try {
    const v = JSON.parse(text) as { next?: unknown; outstanding?: unknown };
    if (typeof v.next !== 'number' || !Array.isArray(v.outstanding)) return undefined;
    const outstanding = v.outstanding
      .filter((e): e is [number, number] => Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'number')
      .map(([seq, tier]) => ({ seq, tier }));
    return { next: v.next, outstanding };
  } catch {
    return undefined;
  }
}
