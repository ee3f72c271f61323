/**
 * Readiness: the gateway is ready only when every registered check passes. Components register the
 * dependencies they cannot work without (Kafka for everyone; a bridge may add its source). A check
 * that throws, rejects or does not answer within its timeout counts as failed, with the reason shown
 * in /health/ready's 503 body.
 */

/** Resolves when the dependency answers; rejects (or throws) with the reason when it does not. */
export type ReadinessCheck = () => Promise<void>;

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly CheckResult[];
}

export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 2000;
  }

  /** Adds a named check; returns the function that removes it again. */
  register(name: string, check: ReadinessCheck): () => void {
    if (this.#checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.#checks.set(name, check);
    return () => {
      if (this.#checks.get(name) === check) this.#checks.delete(name);
    };
  }

  /** Runs every check concurrently. With no checks registered the process is not ready. */
  async evaluate(): Promise<ReadinessReport> {
    if (this.#checks.size === 0) return { ready: false, checks: [{ name: 'startup', ok: false, reason: 'no readiness checks registered yet' }] };
    const checks = await Promise.all([...this.#checks].map(([name, check]) => this.#run(name, check)));
    return { ready: checks.every((c) => c.ok), checks };
  }

  async #run(name: string, check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(check), timeout]);
      return { name, ok: true };
    } catch (err) {
      return { name, ok: false, reason: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
