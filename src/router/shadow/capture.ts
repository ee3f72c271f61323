/**
 * A response as the shadow comparison sees it: status, headers and a body buffered up to a cap.
 * The served response is captured from the chunks it streams to the client (route-request.ts);
 * the mirrored one is read to its end (UpstreamBody.collect).
 */

export interface CapturedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** True when the body exceeded the cap (then it is not compared). */
  readonly truncated: boolean;
  /** Set when the request failed before a response (timeout, connection error, open breaker). */
  readonly error?: string;
}
