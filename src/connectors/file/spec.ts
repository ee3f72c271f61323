/**
 * `source: { file: ... }` in bridges/*.yaml: mainframe record files dropped into a directory
 * (FTP, SFTP, Connect:Direct). The framing (F, FB, V, VB, headers, trailers) comes from the bridge's
 * record mapping; this spec says where the files are and which ones are ready.
 *
 * `sink: { file: ... }`: the way back, record files written for legacy batch programs, framed by the
 * same mapping, so a file bridge with that mapping reads them back.
 */
import { z } from 'zod';
import { boolean, nonEmpty, positiveInt } from '../../config/schema-helpers.ts';

export const fileSourceSchema = z.strictObject({
  /** The drop directory, relative to the directory of banyan.yaml. */
  dir: nonEmpty,
  /** Glob on file names (`*`, `?`), e.g. `COMPANY.*.DAT`; every ready file when absent. */
  pattern: nonEmpty.optional(),
  /** Only names sorting after this one are read. */
  after: nonEmpty.optional(),
  /** e.g. `.done`: a file is read only once `<name>.done` exists beside it. */
  trigger_suffix: z.string().regex(/^\.[A-Za-z0-9._-]+$/, 'a suffix starting with "." (e.g. .done)').optional(),
  /** What happens to a file once all its records are committed. */
  finished: z.enum(['archive', 'delete', 'keep']).default('archive'),
  /** gunzip the files; absent: by the `.gz` ending of each name. */
  gzip: boolean.optional(),
});

export type FileSourceConfig = z.output<typeof fileSourceSchema>;

/**
 * A header or trailer of a written file: text in the mapping's code page, padded with spaces to the
 * mapping's `file_header_bytes` / `file_trailer_bytes` (the bytes a file source skips), with
 * placeholders `{count}` (records in the file), `{count:N}` (zero-padded to N digits), `{seq}`
 * (the file's sequence number), `{date}` (YYYYMMDD, UTC) and `{time}` (HHMMSS, UTC).
 */
export const fileEnvelopeTemplate = z
  .string()
  .min(1)
  .refine((t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => /^(count(:\d{1,2})?|seq|date|time)$/.test(m[1]!)), {
    message: 'placeholders are {count}, {count:N}, {seq}, {date} and {time}',
  });

/** When a file is closed and renamed into place: whichever limit is reached first. */
const roll = z.strictObject({
  /** Records per file. */
  records: positiveInt.default(10_000),
  /** Bytes per file (framed, header and trailer included); a single larger record still gets a file. */
  bytes: positiveInt.default(64 << 20),
  /** How long a file may wait for more records once it has its first one. */
  ms: positiveInt.default(60_000),
});

export const fileSinkSchema = z.strictObject({
  /** Where finished files appear, relative to the directory of banyan.yaml. */
  dir: nonEmpty,
  /** File name with `{seq}` (the file's sequence number, 9 digits): names sort in writing order. Default `<bridge>.{seq}.dat`. */
  name: z
    .string()
    .regex(/^(?!\.)[A-Za-z0-9._-]*\{seq\}[A-Za-z0-9._-]*$/, 'a file name with {seq} once, of letters, digits, ".", "_" and "-", not starting with "." (e.g. ORDERS.{seq}.DAT)')
    .optional(),
  roll: roll.prefault({}),
  header: fileEnvelopeTemplate.optional(),
  trailer: fileEnvelopeTemplate.optional(),
});

export type FileSinkConfig = z.output<typeof fileSinkSchema>;
