/**
 * `banyan decode --copybook F [--codepage cp037] [--format F|FB|V|VB] [--record-length N]
 *   [--mapping M] [--on-error dlq|fail|null] [--dlq FILE] [--record NAME] [INPUT]`
 *
 * Reads mainframe records (INPUT or stdin), writes one JSON object per record to stdout (JSON
 * Lines). Field names are the copybook's unless a mapping renames them; decimals are exact strings.
 * --on-error: `dlq` (default) writes each undecodable record to stderr (or --dlq FILE) as JSON with
 * its raw bytes (base64 and hex), the code and the reason, and exits 1 at the end if there was any;
 * `fail` stops at the first with a message naming record, field, offset and rule; `null` nulls the
 * bad field, keeps the record and flags it on stderr (or --dlq FILE) as `{recordNumber, nulled: [...]}`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CliIo } from '../io.ts';
import { deadLetterJson } from '../../codec/index.ts';
import { codecFlags, describeFailure, endStream, openFromFlags, writeLine } from '../codec-flags.ts';

export const USAGE =
  'usage: banyan decode --copybook F [--codepage cp037] [--format F|FB|V|VB] [--record-length N] [--mapping M] [--on-error dlq|fail|null] [--dlq FILE] [--record NAME] [INPUT]\n';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = codecFlags(argv, io, USAGE);
  if (typeof parsed === 'number') return parsed;
  const { flags, input } = parsed;
  let dlqOut: Writable | undefined;
  try {
    const codec = openFromFlags(flags);
    const source = input ? createReadStream(input) : io.stdin;
    dlqOut = flags.dlq ? createWriteStream(flags.dlq) : undefined;
    let dead = 0;
    for await (const out of codec.decodeStream(source)) {
      if (out.kind === 'event') {
        await writeLine(io.stdout, JSON.stringify(out.value, jsonValue));
        // --on-error null: the record is kept and each nulled field is flagged on stderr.
        if (out.nulledFields) await writeLine(dlqOut ?? io.stderr, JSON.stringify({ recordNumber: out.recordNumber, nulled: out.nulledFields }));
        continue;
      }
      dead++;
      if (flags.onError === 'fail') {
        io.stderr.write(`banyan decode: ${out.code}: ${out.reason}\n`);
        return 1;
      }
      await writeLine(dlqOut ?? io.stderr, JSON.stringify(deadLetterJson(out)));
    }
    if (dead > 0) io.stderr.write(`banyan decode: ${dead} record(s) could not be decoded${flags.dlq ? ` (see ${flags.dlq})` : ''}\n`);
    return dead > 0 ? 1 : 0;
  } catch (err) {
    io.stderr.write(`banyan decode: ${describeFailure(err)}\n`);
    return 1;
  } finally {
    if (dlqOut) await endStream(dlqOut);
  }
}

/** bigint (wide binary fields) as decimal strings: JSON has no exact integer type past 2^53. */
function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
