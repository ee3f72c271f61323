/**
 * A real HTTP service the retry tests deliver to (node:http on a free loopback port), playing a
 * new service: it answers each POST by a rule the test sets per event (fail with 503 for the first
 * N attempts, 400 until "fixed", down for everyone), and records what it saw, by the
 * Idempotency-Key header, the way an idempotent service would: the first 2xx per key is the
 * delivery, later 2xx for the same key are duplicates it absorbs.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly eventId: string;
  readonly key: string | undefined;
  readonly attempt: number | undefined;
  readonly body: string;
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
}

/** What the service answers for one request: a status, and optionally a Retry-After in seconds. */
export type Answer = { readonly status: number; readonly retryAfterS?: number };
export type AnswerRule = (request: { eventId: string; key: string | undefined; attemptsSoFar: number }) => Answer;

export interface DeliveryServer {
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: readonly SeenRequest[];
  /** The first accepted (2xx) request per idempotency key, in acceptance order. */
  readonly accepted: ReadonlyMap<string, SeenRequest>;
  /** Accepted requests whose key had been accepted before (absorbed by the idempotency key). */
  duplicates(): number;
  /** Attempts per event id so far. */
  attempts(eventId: string): number;
  setRule(rule: AnswerRule): void;
  close(): Promise<void>;
}

export async function startDeliveryServer(rule: AnswerRule = () => ({ status: 200 })): Promise<DeliveryServer> {
  let current = rule;
  const requests: SeenRequest[] = [];
  const accepted = new Map<string, SeenRequest>();
  const attempts = new Map<string, number>();
  let duplicates = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const eventId = String(req.headers['idempotency-key'] ?? '');
      const key = req.headers['x-event-key'] === undefined ? undefined : String(req.headers['x-event-key']);
      const so = attempts.get(eventId) ?? 0;
      attempts.set(eventId, so + 1);
      const answer = current({ eventId, key, attemptsSoFar: so });
      const attemptHeader = req.headers['x-delivery-attempt'];
      const seen: SeenRequest = { eventId, key, attempt: attemptHeader === undefined ? undefined : Number(attemptHeader), body: Buffer.concat(chunks).toString('utf8'), status: answer.status, headers: req.headers };
      requests.push(seen);
      if (answer.status >= 200 && answer.status < 300) {
        if (accepted.has(eventId)) duplicates++;
        else accepted.set(eventId, seen);
      }
      res.writeHead(answer.status, answer.retryAfterS !== undefined ? { 'retry-after': String(answer.retryAfterS) } : {});
      res.end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    requests,
    accepted,
    duplicates: () => duplicates,
    attempts: (eventId) => attempts.get(eventId) ?? 0,
    setRule(r) {
      current = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
