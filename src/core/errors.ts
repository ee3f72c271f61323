/**
 * Typed, coded errors (fastify's FST_ERR_* style): every failure Banyan reports has a stable
 * `code` (BANYAN_ERR_<AREA>_<WHAT>), a `retriable` flag the pipeline uses to decide between
 * retry and dead-letter, an optional `cause`, and, where HTTP is involved, the `status` an HTTP
 * server answers with (fastify's createError(code, message, statusCode)).
 *
 * Areas register their codes with `defineErrors`; `errorCatalog()` lists every registered code so
 * a test can check each one is documented (docs/errors.md).
 */

export interface BanyanErrorSpec {
  /** Human text; `%s` placeholders are filled from the constructor arguments in order. */
  readonly message: string;
  readonly retriable?: boolean;
  /** HTTP status for an error an HTTP server answers with (the router, the admin API); none: the server's default. */
  readonly status?: number;
}

export class BanyanError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly status: number | undefined;

  constructor(code: string, message: string, options: { retriable?: boolean; status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BanyanError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.status = options.status;
  }
}

export type BanyanErrorFactory = new (...args: unknown[]) => BanyanError;

const catalog = new Map<string, BanyanErrorSpec>();

/**
 * Declares a family of error codes and returns one constructor per code.
 * `new Errors.BANYAN_ERR_CONFIG_INVALID('banyan.yaml', 'x')` formats the message from the spec.
 */
export function defineErrors<const T extends Record<string, BanyanErrorSpec>>(
  specs: T,
): { [K in keyof T]: new (...args: unknown[]) => BanyanError } {
  const out: Record<string, new (...args: unknown[]) => BanyanError> = {};
  for (const [code, spec] of Object.entries(specs)) {
    if (!/^BANYAN_ERR_[A-Z0-9]+_[A-Z0-9_]+$/.test(code)) {
      throw new Error(`error code ${code} does not follow BANYAN_ERR_<AREA>_<WHAT>`);
    }
    if (catalog.has(code)) throw new Error(`error code ${code} is defined twice`);
    catalog.set(code, spec);
    out[code] = class extends BanyanError {
      constructor(...args: unknown[]) {
        const last = args[args.length - 1];
        const cause = last instanceof Error ? last : undefined;
        const parts = cause ? args.slice(0, -1) : args;
        super(code, formatMessage(spec.message, parts), { retriable: spec.retriable, status: spec.status, cause });
      }
    };
    Object.defineProperty(out[code], 'name', { value: code });
  }
  return out as { [K in keyof T]: new (...args: unknown[]) => BanyanError };
}

/** Every code registered so far, for documentation checks. */
export function errorCatalog(): ReadonlyMap<string, BanyanErrorSpec> {
  return catalog;
}

function formatMessage(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%s/g, () => (i < args.length ? String(args[i++]) : '%s'));
}
