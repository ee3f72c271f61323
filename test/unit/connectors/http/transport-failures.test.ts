/** undici's and Node's network errors as outcomes: no answer is retriable (with a stable class), a malformed request permanent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from 'undici';
import { classifyTransportError } from '../../../../src/connectors/http/transport-failures.ts';

const sys = (code: string, message = `connect ${code} 127.0.0.1:9`) => Object.assign(new Error(message), { code });

describe('transport errors', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['connection refused', sys('ECONNREFUSED'), 'retriable', 'ConnectionRefused'],
    ['refused on every address (happy eyeballs)', Object.assign(new AggregateError([sys('ECONNREFUSED')]), { code: 'ECONNREFUSED' }), 'retriable', 'ConnectionRefused'],
    ['reset', sys('ECONNRESET', 'read ECONNRESET'), 'retriable', 'ConnectionReset'],
    ['undici: other side closed', new errors.SocketError('other side closed'), 'retriable', 'ConnectionReset'],
    ['undici: connect timeout', new errors.ConnectTimeoutError(), 'retriable', 'Timeout'],
    ['undici: headers timeout', new errors.HeadersTimeoutError(), 'retriable', 'Timeout'],
    ['undici: body timeout', new errors.BodyTimeoutError(), 'retriable', 'Timeout'],
    ['unknown host', sys('ENOTFOUND', 'getaddrinfo ENOTFOUND svc'), 'retriable', 'HostNotFound'],
    ['a certificate problem pauses instead of parking', sys('CERT_HAS_EXPIRED', 'certificate has expired'), 'retriable', 'TlsFailure'],
    ['the cause of a wrapped error counts', new Error('fetch failed', { cause: sys('ECONNREFUSED') }), 'retriable', 'ConnectionRefused'],
    ['an unknown error is a failed connection', new Error('something odd'), 'retriable', 'ConnectionFailed'],
    ['undici refuses the request itself', new errors.InvalidArgumentError('invalid header value'), 'permanent', 'RequestInvalid'],
  ];
  for (const [name, err, kind, errorClass] of cases) {
    it(`${name} -> ${kind} ${errorClass}`, () => {
      const outcome = classifyTransportError(err, false, 1000);
      assert.equal(outcome.kind, kind);
      assert.equal(outcome.kind === 'retriable' || outcome.kind === 'permanent' ? outcome.failure.errorClass : '', errorClass);
    });
  }

  it('undici\'s timeouts say which wait ran out, with timeout_ms', () => {
    const message = (err: unknown) => {
      const o = classifyTransportError(err, false, 250);
      return o.kind === 'retriable' ? o.failure.message : '';
    };
    assert.equal(message(new errors.ConnectTimeoutError()), 'no connection within timeout_ms (250 ms)');
    assert.equal(message(new errors.HeadersTimeoutError()), 'no answer within timeout_ms (250 ms)');
    assert.equal(message(new errors.BodyTimeoutError()), "the answer's body did not continue within timeout_ms (250 ms)");
  });

  it('the caller\'s abort (shutdown) is Aborted, whatever undici threw', () => {
    const shut = classifyTransportError(new errors.RequestAbortedError(), true, 250);
    assert.equal(shut.kind === 'retriable' && shut.failure.errorClass, 'Aborted');
  });

  it('the message keeps the system error code', () => {
    const outcome = classifyTransportError(sys('ECONNREFUSED', 'connect failed'), false, 1000);
    assert.equal(outcome.kind === 'retriable' && outcome.failure.message, 'ECONNREFUSED: connect failed');
  });
});
