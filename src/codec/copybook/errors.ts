/**
 * Errors of the copybook parser. Every one names the file, line and column of the offending token
 * and the token itself, so a migration team can jump straight to the line in their editor:
 *
 *   BANYAN_ERR_COPYBOOK_SYNTAX: orders.cpy:12:30: expected '.' or a clause, found "05"
 */
import { BanyanError, defineErrors } from '../../core/errors.ts';

export const CopybookErrors = defineErrors({
  BANYAN_ERR_COPYBOOK_SYNTAX: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_PICTURE: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_REFERENCE: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_UNSUPPORTED: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_COPY_NOT_FOUND: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_COPY_RECURSION: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_EMPTY: { message: '%s:%s:%s: %s (at "%s")' },
  BANYAN_ERR_COPYBOOK_UNREADABLE: { message: '%s:%s:%s: %s (at "%s")' },
});

export type CopybookErrorCode = keyof typeof CopybookErrors;

/** Where a token came from: file, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A BanyanError that also carries the position and the offending token as properties. */
export interface CopybookError extends BanyanError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly token: string;
  readonly detail: string;
}

export function copybookError(code: CopybookErrorCode, at: SourcePosition, token: string, detail: string, cause?: Error): CopybookError {
  const Ctor = CopybookErrors[code];
  const args: unknown[] = [at.file, at.line, at.column, detail, token];
  if (cause) args.push(cause);
  const err = new Ctor(...args);
  return Object.assign(err, { file: at.file, line: at.line, column: at.column, token, detail });
}

export function isCopybookError(err: unknown): err is CopybookError {
  return err instanceof BanyanError && err.code.startsWith('BANYAN_ERR_COPYBOOK_') && 'line' in err;
}
