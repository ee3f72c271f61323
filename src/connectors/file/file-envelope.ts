/**
 * The header and trailer of a written file (`header:` / `trailer:` of a file sink): text in the
 * mapping's code page, padded with spaces to exactly the bytes the mapping's framing says a file
 * starts and ends with (`file_header_bytes` / `file_trailer_bytes`), which is what a file source
 * with the same mapping skips. Mainframe batch input often carries such a control header and a
 * trailer with the record count, which the batch program checks against what it read.
 *
 *   template := (text | "{count}" | "{count:" N "}" | "{seq}" | "{date}" | "{time}")*
 *   {count:N} = record count zero-padded to N digits; {date} = YYYYMMDD, {time} = HHMMSS (UTC)
 */
import type { CodePage } from '../../codec/codepages/index.ts';
import { FileErrors } from './errors.ts';

/** What a header or trailer may say about its file. */
export interface EnvelopeFacts {
  readonly count: number;
  readonly seq: number;
  readonly at: Date;
}

export type EnvelopeRenderer = (facts: EnvelopeFacts) => Uint8Array;

/**
 * Checks the template against the byte length the framing reserves, for the largest count a file
 * can hold, and returns the renderer. Throws BANYAN_ERR_FILE_SINK_ENVELOPE when the text cannot fit
 * or the framing reserves no bytes for it.
 */
export function envelopeRenderer(
  which: 'header' | 'trailer',
  template: string,
  bytes: number,
  codePage: CodePage,
  limits: { readonly maxCount: number },
): EnvelopeRenderer {
  const key = which === 'header' ? 'file_header_bytes' : 'file_trailer_bytes';
  if (bytes === 0) {
    throw new FileErrors.BANYAN_ERR_FILE_SINK_ENVELOPE(which, `the mapping's framing has no ${key}, so a file source would read the ${which} as a record; set ${key} to its length`);
  }
  const render: EnvelopeRenderer = (facts) => {
    const text = renderText(template, facts);
    const out = new Uint8Array(bytes);
    try {
      codePage.encode(text, out, 0, bytes);
    } catch (err) {
      throw new FileErrors.BANYAN_ERR_FILE_SINK_ENVELOPE(which, `"${text}" does not fit the ${bytes} bytes of ${key} in ${codePage.name}: ${(err as Error).message}`);
    }
    return out;
  };
  // The widest text: the most records a file holds, a 9-digit sequence number.
  render({ count: limits.maxCount, seq: 999_999_999, at: new Date(Date.UTC(2099, 11, 31, 23, 59, 59)) });
  return render;
}

/** A file written without a header or trailer: the framing must reserve no bytes for one. */
export function checkNoEnvelope(which: 'header' | 'trailer', bytes: number): undefined {
  if (bytes === 0) return undefined;
  const key = which === 'header' ? 'file_header_bytes' : 'file_trailer_bytes';
  throw new FileErrors.BANYAN_ERR_FILE_SINK_ENVELOPE(which, `the mapping's framing has ${key}: ${bytes}, so the sink needs a ${which} template to fill them`);
}

export function renderText(template: string, facts: EnvelopeFacts): string {
  const iso = facts.at.toISOString(); // 2026-12-01T23:59:59.000Z
  return template.replace(/\{(count(?::(\d{1,2}))?|seq|date|time)\}/g, (_all, name: string, width: string | undefined) => {
    if (name === 'seq') return String(facts.seq);
    if (name === 'date') return iso.slice(0, 10).replaceAll('-', '');
    if (name === 'time') return iso.slice(11, 19).replaceAll(':', '');
    return width === undefined ? String(facts.count) : String(facts.count).padStart(Number(width), '0');
  });
}
