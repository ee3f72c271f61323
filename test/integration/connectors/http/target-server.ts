/**
 * A real HTTP service on 127.0.0.1 for the delivery target's tests: records every request it
 * received (method, URL, headers, body, which connection) and answers as the test's handler says.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Index of the TCP connection it came on (0 = the first one the server accepted). */
  readonly connection: number;
}

/** Answers one request; may leave `res` unanswered (a hanging service) or destroy the socket. */
export type TargetHandler = (req: ReceivedRequest, res: ServerResponse, socket: Socket) => void;

export interface TargetServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Connections accepted so far. */
  connections(): number;
  /** Replaces the handler (a service that recovers, or breaks). */
  answer(handler: TargetHandler): void;
  close(): Promise<void>;
}

export const respond = (status: number, headers: Record<string, string> = {}, body = '') => (_req: ReceivedRequest, res: ServerResponse) => {
  res.writeHead(status, headers).end(body);
};

export async function startTargetServer(handler: TargetHandler = respond(200)): Promise<TargetServer> {
  let current = handler;
  const received: ReceivedRequest[] = [];
  const sockets = new Map<Socket, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), connection: sockets.get(req.socket)! };
      received.push(r);
      current(r, res, req.socket);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, sockets.size);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    connections: () => sockets.size,
    answer(next) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound once, then released. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
