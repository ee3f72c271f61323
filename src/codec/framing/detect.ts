/**
 * Guesses how a file is framed from its first bytes, for the most common support question about
 * mainframe files ("RDW or BDW? big- or little-endian? does the length count the header?" — Cobrix
 * issues #109, #566, #642; JRecord has a file-structure detector for the same reason).
 *
 * Each candidate framing is run over the sample; a candidate survives when every record it finds
 * is well formed to the end of the sample (or, when the sample is only the start of the file, up to a
 * record cut by the sample's end). Survivors are ranked: those that end exactly on a record boundary
 * first, then by number of records (a wrong guess rarely chains many plausible headers).
 */
import { readRecordsSync } from './index.ts';
import type { FramingOptions } from './options.ts';
import type { FramingError } from './errors.ts';

export interface FramingGuess {
  readonly framing: FramingOptions;
  /** Records found in the sample. */
  readonly records: number;
  /** The sample ends exactly after a record (always true for a complete file that fits). */
  readonly endsOnBoundary: boolean;
  /** Shortest and longest record seen. */
  readonly minLength: number;
  readonly maxLength: number;
}

export interface DetectOptions {
  /** The sample is the whole file (a record cut at its end then disqualifies). Default false. */
  readonly complete?: boolean;
  /** Record length from the copybook: adds F candidates with it. */
  readonly recordLength?: number;
}

const WORD_VARIANTS = [
  { byteOrder: 'big', includesHeader: true },
  { byteOrder: 'big', includesHeader: false },
  { byteOrder: 'little', includesHeader: true },
  { byteOrder: 'little', includesHeader: false },
] as const;

/** Candidate framings consistent with `sample`, best first (empty when none fits). */
export function detectFraming(sample: Uint8Array, options: DetectOptions = {}): FramingGuess[] {
  const candidates: FramingOptions[] = [];
  for (const rdw of WORD_VARIANTS) {
    candidates.push({ format: 'V', rdw });
    for (const bdw of WORD_VARIANTS) candidates.push({ format: 'VB', rdw, bdw });
  }
  if (options.recordLength !== undefined && options.recordLength > 0) candidates.push({ format: 'F', recordLength: options.recordLength });

  const guesses: FramingGuess[] = [];
  for (const framing of candidates) {
    const guess = tryFraming(sample, framing, options.complete ?? false);
    if (guess) guesses.push(guess);
  }
  return guesses.sort((a, b) => Number(b.endsOnBoundary) - Number(a.endsOnBoundary) || b.records - a.records);
}

function tryFraming(sample: Uint8Array, framing: FramingOptions, complete: boolean): FramingGuess | undefined {
  let records = 0;
  let minLength = Infinity;
  let maxLength = 0;
  let endsOnBoundary = true;
  try {
    for (const r of readRecordsSync(sample, framing)) {
      records++;
      minLength = Math.min(minLength, r.bytes.length);
      maxLength = Math.max(maxLength, r.bytes.length);
    }
  } catch (err) {
    const e = err as FramingError;
    // A sample cut from a longer file may end inside a record; anything else rules the framing out.
    if (complete || e.code !== 'BANYAN_ERR_FRAMING_TRUNCATED') return undefined;
    endsOnBoundary = false;
  }
  if (records === 0) return undefined;
  return { framing, records, endsOnBoundary, minLength, maxLength };
}
