/**
 * `source: { file: ... }` in bridges/*.yaml: mainframe record files dropped into a directory
 * (FTP, SFTP, Connect:Direct). The framing (F, FB, V, VB, headers, trailers) comes from the bridge's
 * record mapping; this spec says where the files are and which ones are ready.
 */
import { z } from 'zod';
import { boolean, nonEmpty } from '../../config/schema-helpers.ts';

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
