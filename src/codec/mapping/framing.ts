/** A mapping's `framing:` block as the framing reader's options (src/codec/framing). */
import type { FramingOptions } from '../framing/options.ts';
import type { FramingConfig } from './schema.ts';

type DescriptorWordConfig = NonNullable<FramingConfig['rdw']>;

/** `recordLength` is the copybook record's length, used when F/FB give none. */
export function framingOptionsOf(config: FramingConfig | undefined, recordLength: number): FramingOptions {
  if (!config) return { format: 'F', recordLength };
  const common = { fileStartOffset: config.file_header_bytes, fileEndOffset: config.file_trailer_bytes };
  switch (config.format) {
    case 'F':
      return { ...common, format: 'F', recordLength: config.record_length ?? recordLength };
    case 'FB':
      return {
        ...common,
        format: 'FB',
        recordLength: config.record_length ?? recordLength,
        blockLength: config.block_length,
        bdw: word(config.bdw),
      };
    case 'V':
      return { ...common, format: 'V', rdw: word(config.rdw) };
    case 'VB':
      return { ...common, format: 'VB', rdw: word(config.rdw), bdw: word(config.bdw), blockLength: config.block_length };
  }
}

function word(w: DescriptorWordConfig | undefined) {
  return w ? { byteOrder: w.byte_order, includesHeader: w.includes_header, adjustment: w.adjustment } : undefined;
}
