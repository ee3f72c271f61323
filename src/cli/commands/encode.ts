/**
 * `banyan encode --copybook F [--codepage cp037] [--format F|FB|V|VB] [--record-length N]
 *   [--mapping M] [--on-error dlq|fail|null] [--dlq FILE] [--record NAME] [INPUT]`
 *
 * The reverse of `banyan decode`: reads JSON Lines (INPUT or stdin), one record object a line with
 * the names `decode` prints (or the mapping's), and writes framed records to stdout.
 * --on-error: `fail` (and `null`, which has no meaning when writing) stops at the first line that
 * cannot be encoded, naming the line, the field and the rule; `dlq` (default) reports each such line
 * on stderr (or --dlq FILE) as JSON, skips it, and exits 1 at the end.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { CliIo } from '../io.ts';
import { writeRecords, type DecodedRecord } from '../../codec/index.ts';
import { codecFlags, describeFailure, endStream, openFromFlags, writeLine } from '../codec-flags.ts';
import { MappingErrors } from '../../codec/mapping/errors.ts';

export const USAGE =
  'usage: banyan encode --copybook F [--codepage cp037] [--format F|FB|V|VB] [--record-length N] [--mapping M] [--on-error dlq|fail|null] [--dlq FILE] [--record NAME] [INPUT]\n';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = codecFlags(argv, io, USAGE);
  if (typeof parsed === 'number') return parsed;
  const { flags, input } = parsed;
  let dlqOut: Writable | undefined;
  try {
    const codec = openFromFlags(flags);
    dlqOut = flags.dlq ? createWriteStream(flags.dlq) : undefined;
    const lines = createInterface({ input: input ? createReadStream(input) : io.stdin, crlfDelay: Infinity });
    let rejected = 0;
    let failure: string | undefined;
    const dlq = dlqOut;
    async function* records(): AsyncGenerator<Uint8Array> {
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber++;
        if (line.trim() === '') continue;
        try {
          let value: DecodedRecord;
          try {
            value = JSON.parse(line) as DecodedRecord;
          } catch (parseError) {
            throw new MappingErrors.BANYAN_ERR_MAPPING_BAD_VALUE((parseError as Error).message);
          }
          yield codec.encode(value);
        } catch (err) {
          const e = err as { code?: string; message?: string; fieldPath?: string };
          const reason = `line ${lineNumber}: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
          if (flags.onError !== 'dlq') {
            failure = reason;
            return;
          }
          rejected++;
          await writeLine(dlq ?? io.stderr, JSON.stringify({ line: lineNumber, code: e.code, reason, fieldPath: e.fieldPath, text: line }));
        }
      }
    }
    await writeRecords(records(), io.stdout, codec.framing);
    if (failure) {
      io.stderr.write(`banyan encode: ${failure}\n`);
      return 1;
    }
    if (rejected > 0) io.stderr.write(`banyan encode: ${rejected} line(s) could not be encoded${flags.dlq ? ` (see ${flags.dlq})` : ''}\n`);
    return rejected > 0 ? 1 : 0;
  } catch (err) {
    io.stderr.write(`banyan encode: ${describeFailure(err)}\n`);
    return 1;
  } finally {
    if (dlqOut) await endStream(dlqOut);
  }
}
