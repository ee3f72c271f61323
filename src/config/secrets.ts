/**
 * Which parts of a config are secrets, as pino redact paths (https://getpino.io/#/docs/redaction).
 * A value is a secret when it came from `${ENV}` (load.ts records those paths) or when its key names a
 * credential (password, token, sasl, ...). Loggers redact them wherever they are logged: under the
 * `config` key (how the gateway logs its settings) and, by key name, at any depth up to SECRET_DEPTH.
 */

/** Keys whose values are credentials whatever their source. Compared case-insensitively. */
export const SECRET_KEYS = ['password', 'passphrase', 'secret', 'token', 'sasl', 'key_password', 'authorization', 'api_key'];

/** pino's wildcards match one level each (`*.password`), so list the depths we log at. */
const SECRET_DEPTH = 5;

/** Redact paths for a config logged under `prefix`, given load.ts's interpolated `secretPaths`. */
export function secretRedactPaths(value: unknown, secretPaths: readonly string[], prefix = 'config'): string[] {
  const out = new Set<string>();
  for (const path of secretPaths) if (path) out.add(joinRedactPath([prefix, ...path.split('.')]));
  walk(value, [], (path) => out.add(joinRedactPath([prefix, ...path])));
  for (const key of SECRET_KEYS) {
    for (let depth = 0; depth < SECRET_DEPTH; depth++) out.add([...Array<string>(depth).fill('*'), key].join('.'));
  }
  return [...out];
}

/** A copy of `value` with every secret replaced by `[Redacted]`, for printing a config safely. */
export function redactSecrets(value: unknown, secretPaths: readonly string[]): unknown {
  const secrets = new Set(secretPaths);
  const copy = (v: unknown, path: string[]): unknown => {
    const dotted = path.join('.');
    if (path.length > 0 && (secrets.has(dotted) || isSecretKey(path[path.length - 1]!))) return '[Redacted]';
    if (Array.isArray(v)) return v.map((item, i) => copy(item, [...path, String(i)]));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, copy(item, [...path, k])]));
    }
    return v;
  };
  return copy(value, []);
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.includes(key.toLowerCase());
}

function walk(value: unknown, path: string[], onSecret: (path: string[]) => void): void {
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (isSecretKey(k)) onSecret([...path, k]);
    else walk(v, [...path, k], onSecret);
  }
}

// load.ts writes array indexes as plain segments (`kafka.brokers.0`); pino wants `kafka.brokers[0]`.
function joinRedactPath(segments: readonly string[]): string {
  return segments.map(redactSegment).join('.').replace(/\.\[/g, '[');
}

function redactSegment(segment: string): string {
  if (/^\d+$/.test(segment)) return `[${segment}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment) ? segment : `["${segment.replace(/"/g, '\\"')}"]`;
}
