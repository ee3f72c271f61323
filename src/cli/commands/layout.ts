/**
 * `banyan layout --copybook F [--copybook-dir D]... [--json] [--format fixed|free|auto]
 *  [--binary-sizes ibm|one-byte] [--align-sync] [--decimal-point-is-comma] [--debug-lines]`
 *
 * Prints the copybook's storage layout like a compiler listing (1-based START/END), or the
 * CopybookLayout as JSON (0-based offsets, the contract the codec compiles from). A copybook error
 * goes to stderr as `CODE: file:line:col: message (at "token")` with exit code 1; bad usage exits 2.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CliIo } from '../io.ts';
import { formatLayoutTable, isCopybookError, loadCopybook, type LoadCopybookOptions } from '../../codec/copybook/index.ts';

export async function run(argv: string[], io: CliIo): Promise<number> {
  let values: {
    copybook?: string;
    'copybook-dir'?: string[];
    json?: boolean;
    format?: string;
    'binary-sizes'?: string;
    'align-sync'?: boolean;
    'decimal-point-is-comma'?: boolean;
    'debug-lines'?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        copybook: { type: 'string', short: 'c' },
        'copybook-dir': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        format: { type: 'string' },
        'binary-sizes': { type: 'string' },
        'align-sync': { type: 'boolean' },
        'decimal-point-is-comma': { type: 'boolean' },
        'debug-lines': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    io.stderr.write(`banyan layout: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!values.copybook) {
    io.stderr.write(`banyan layout: --copybook is required\n${USAGE}`);
    return 2;
  }
  const format = values.format ?? 'auto';
  if (format !== 'auto' && format !== 'fixed' && format !== 'free') {
    io.stderr.write(`banyan layout: --format must be fixed, free or auto (got "${format}")\n`);
    return 2;
  }
  const binarySizes = values['binary-sizes'] ?? 'ibm';
  if (binarySizes !== 'ibm' && binarySizes !== 'one-byte') {
    io.stderr.write(`banyan layout: --binary-sizes must be ibm or one-byte (got "${binarySizes}")\n`);
    return 2;
  }
  const options: LoadCopybookOptions = {
    copybookDir: (values['copybook-dir'] ?? []).map((d) => resolve(io.cwd, d)),
    format,
    binarySizes,
    alignSync: values['align-sync'] ?? false,
    decimalPointIsComma: values['decimal-point-is-comma'] ?? false,
    debugLines: values['debug-lines'] ?? false,
    source: values.copybook,
  };
  try {
    const layout = loadCopybook(resolve(io.cwd, values.copybook), options);
    io.stdout.write(values.json ? `${JSON.stringify(layout, null, 2)}\n` : formatLayoutTable(layout));
    return 0;
  } catch (err) {
    if (isCopybookError(err)) {
      io.stderr.write(`banyan layout: ${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

const USAGE = `usage: banyan layout --copybook FILE [--copybook-dir DIR]... [--json]
                     [--format fixed|free|auto] [--binary-sizes ibm|one-byte]
                     [--align-sync] [--decimal-point-is-comma] [--debug-lines]

Prints the record layout of a COBOL copybook: level, name, PICTURE, USAGE, START/END (1-based,
like a compiler listing), LENGTH of one occurrence, type, digits, scale and sign, with OCCURS and
REDEFINES noted. --json prints the layout the codec uses, with 0-based offsets.
`;
