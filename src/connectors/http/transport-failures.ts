/**
 * The one place undici's and Node's network errors become delivery outcomes (like
 * connectors/kafka/kafkajs-errors.ts for kafkajs). A request that got no answer is retriable: the
 * service may be restarting, the network may be back in a second, and the idempotency key makes a
 * repeat harmless if the first one did arrive. Only an error in the request itself, which the same
 * request would hit again, is permanent.
 *
 * `errorClass` names (the retry headers carry them): Timeout, ConnectionRefused, ConnectionReset,
 * ConnectionFailed, HostNotFound, TlsFailure, Aborted, RequestInvalid.
 */
import type { DeliveryOutcome } from '../../retry/delivery-target.ts';

/**
 * `abortedByCaller`: the processor's signal cut the request short (shutdown), whatever undici threw.
 * `timeoutMs` is the target's timeout_ms, for the message of a timeout.
 */
export function classifyTransportError(err: unknown, abortedByCaller: boolean, timeoutMs: number): DeliveryOutcome {
  if (abortedByCaller) return retriable('Aborted', 'the delivery was aborted (shutdown); it is delivered again after restart');
  const code = errorCode(err);
  const timeout = code === undefined ? undefined : TIMEOUT_OF_CODE[code];
  if (timeout !== undefined) return retriable('Timeout', `${timeout} within timeout_ms (${timeoutMs} ms)`);
  const detail = describe(err);
  const errorClass = code === undefined ? undefined : CLASS_OF_CODE[code];
  if (errorClass === 'RequestInvalid') return { kind: 'permanent', failure: { errorClass, message: `the request cannot be sent: ${detail}` } };
  if (errorClass !== undefined) return retriable(errorClass, detail);
  if (code !== undefined && TLS_CODE.test(code)) return retriable('TlsFailure', detail);
  return retriable('ConnectionFailed', detail);
}

const CLASS_OF_CODE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'ConnectionRefused',
  ECONNRESET: 'ConnectionReset',
  EPIPE: 'ConnectionReset',
  // undici: "other side closed" and friends, a socket that ended before the answer.
  UND_ERR_SOCKET: 'ConnectionReset',
  UND_ERR_CLOSED: 'ConnectionReset',
  ETIMEDOUT: 'Timeout',
  ENOTFOUND: 'HostNotFound',
  EAI_AGAIN: 'HostNotFound',
  EHOSTUNREACH: 'ConnectionFailed',
  ENETUNREACH: 'ConnectionFailed',
  // The request itself is malformed (a header value undici refuses): the same request fails again.
  UND_ERR_INVALID_ARG: 'RequestInvalid',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'RequestInvalid',
  UND_ERR_NOT_SUPPORTED: 'RequestInvalid',
  ERR_INVALID_URL: 'RequestInvalid',
  ERR_INVALID_CHAR: 'RequestInvalid',
  ERR_INVALID_HTTP_TOKEN: 'RequestInvalid',
};

// undici's three timeouts, all set from timeout_ms (http-target.ts).
const TIMEOUT_OF_CODE: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'no connection',
  UND_ERR_HEADERS_TIMEOUT: 'no answer',
  UND_ERR_BODY_TIMEOUT: 'the answer\'s body did not continue',
};

// OpenSSL verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ...) and Node's
// ERR_TLS_*: retriable so they open the breaker and pause delivery until the certificate is fixed,
// instead of parking every event.
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

function retriable(errorClass: string, message: string): DeliveryOutcome {
  return { kind: 'retriable', failure: { errorClass, message } };
}

/** The code of the error or of its cause (undici wraps the socket error of a failed connect). */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
  }
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(describe).join('; ');
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
