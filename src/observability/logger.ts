/**
 * The one pino root logger of a Banyan process (JSON lines on stdout). Components never create their
 * own: they take `logger.child({ component })` so every line says where it came from, and secrets are
 * redacted once, here, from the paths of the fields the specs mark secret (src/config/secrets.ts).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface RootLoggerOptions {
  readonly level?: string;
  /** pino redact paths (https://getpino.io/#/docs/redaction); values are replaced, keys kept. */
  readonly redact?: readonly string[];
  /** Where JSON lines go; stdout when absent (tests pass a stream). */
  readonly destination?: DestinationStream;
  /** Fields on every line, e.g. `{ service: 'banyan', instance }`. */
  readonly base?: Record<string, unknown>;
}

export function createRootLogger(options: RootLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'banyan', pid: process.pid, ...options.base },
      redact: { paths: [...(options.redact ?? [])], censor: '[Redacted]' },
      // ISO time and a string level make the lines readable without pino-pretty.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** The logger of one component: `component` appears on every line it writes. */
export function componentLogger(root: Logger, component: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...bindings });
}
