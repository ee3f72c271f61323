/**
 * Copybook decoders for bit-data columns that hold legacy records (a CHAR(n) FOR BIT DATA column
 * with an EBCDIC record inside, common in tables a COBOL program writes), opened once per bridge
 * through the codec facade (src/codec openRecordCodec) and handed to column-values.ts. A bridge file
 * names them per column, e.g. (suggested spec key):
 *
 *   bit_data_mappings:
 *     APP.CUSTOMER.ADDR_BLOB: mappings/records/address.yaml   # a record mapping (names, masking)
 *     APP.CUSTOMER.HIST_BLOB: mappings/copybooks/HISTREC.cpy   # or a bare copybook (COBOL names)
 *
 * Configuration errors (a missing file, a bad copybook) are thrown here, at bridge start, as the
 * codec's own coded errors, never at the first row.
 */
import { resolve } from 'node:path';
import { openRecordCodec } from '../../codec/index.ts';
import type { BitDataCodec } from './column-values.ts';

/** `SCHEMA.TABLE.COLUMN` -> mapping (.yaml/.yml) or copybook file, relative to `rootDir`. */
export type BitDataMappings = Readonly<Record<string, string>>;

/** The decoders of one table's columns, by column name, as column-values.ts takes them. */
export function openBitDataCodecs(table: string, mappings: BitDataMappings, rootDir: string): ReadonlyMap<string, BitDataCodec> {
  const out = new Map<string, BitDataCodec>();
  const prefix = `${table}.`;
  for (const [qualified, file] of Object.entries(mappings)) {
    if (!qualified.startsWith(prefix)) continue;
    const column = qualified.slice(prefix.length);
    const path = resolve(rootDir, file);
    const codec = /\.ya?ml$/i.test(file) ? openRecordCodec({ mapping: path }) : openRecordCodec({ copybook: path });
    out.set(column, { name: file, decode: (raw, recordNumber) => codec.decode(raw, recordNumber) });
  }
  return out;
}
