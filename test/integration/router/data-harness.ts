/**
 * Shared pieces of the router data-plane integration tests: real node:http upstreams on
 * 127.0.0.1 ephemeral ports, a temporary routes directory, a router under test and a keep-alive
 * client. Not a test file itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Pool } from 'undici';
import { createRouter, type Router, type RouterOptions } from '../../../src/router/server.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface TestUpstream {
  readonly url: string;
  /** Requests received, in order. */
  readonly received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

export function jsonHandler(side: string, extra: (req: IncomingMessage) => Record<string, unknown> = () => ({})): Handler {
  return (req, res) => {
    const payload = JSON.stringify({ side, path: req.url, ...extra(req) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  };
}

export async function startUpstream(handler: Handler): Promise<TestUpstream> {
  let current = handler;
  const received: TestUpstream['received'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body.toString('utf8') });
      current(req, res, body);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    setHandler: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function routesDir(files: Record<string, string>): { dir: string; write(name: string, text: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-routes-'));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningRouter {
  readonly router: Router;
  readonly url: string;
  readonly client: Pool;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startRouter(options: Omit<RouterOptions, 'logger'> & { logger?: RouterOptions['logger'] }): Promise<RunningRouter> {
  const router = createRouter({ logger: pino({ level: 'silent' }), ...options });
  const { url } = await router.listen();
  const client = new Pool(url, { connections: 16 });
  return {
    router,
    url,
    client,
    async get(path, headers = {}) {
      const res = await client.request({ method: 'GET', path, headers });
      const text = await res.body.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = { text };
      }
      return { status: res.statusCode, headers: res.headers, json };
    },
    async close() {
      await client.close();
      await router.close();
    },
  };
}
