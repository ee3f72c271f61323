/**
 * `banyan start` as a child process, the way an operator runs it: JSON log lines on stdout, the
 * metrics/health address taken from its "gateway started" line, and kill() with any signal so
 * tests can SIGKILL it mid-batch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/banyan.js', import.meta.url));

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** `http://host:port` of /metrics, /health and /bridges. */
  readonly http: string;
  /** Every JSON log line so far. */
  readonly lines: ReadonlyArray<Record<string, unknown>>;
  readonly stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `banyan start --config <config>` in `cwd`; resolves once it logged "gateway started". */
export async function startGatewayProcess(cwd: string, config: string, options: { timeoutMs?: number } = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [bin, 'start', '--config', config], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines: Array<Record<string, unknown>> = [];
  const http = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`banyan start did not start within ${options.timeoutMs ?? 60_000} ms: ${stderr}`)), options.timeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (line.msg === 'gateway started' && typeof line.http === 'string') {
          clearTimeout(timer);
          resolve(line.http);
        }
      } catch {
        // not a log line (a child's output); ignored
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`banyan start exited with ${code} before starting: ${stderr}`));
    });
  });
  return { child, http, lines, stderr: () => stderr, exited, kill: (signal) => void child.kill(signal) };
}

/** GET `url` as JSON (status and body). */
export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls `probe` every 200 ms until it returns a value (not undefined); rejects after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
