/**
 * Runs one bridge in a gateway: joins the bridge's ownership group, and while this instance owns
 * the bridge, assembles it (src/bridge-assembly.ts) and runs its pipeline; when ownership moves
 * elsewhere, the pipeline finishes its batch in flight, commits it and stops. It is what `banyan
 * start` runs for each bridges/*.yaml and what `banyan run` runs for the files it is given.
 *
 * Errors: a retriable one that ends a run (Kafka down while assembling or loading the checkpoint)
 * backs off and runs again, without end; any other error stops this bridge alone: logged with its
 * code, reported not-ready, while the gateway's other bridges keep running.
 */
import type { Logger } from 'pino';
import type { AssembledBridge, BridgeConfig, RunnableBridge } from '../bridge-assembly.ts';
import { backoffDelay, exhausted, runBridgePipeline, type BackoffPolicy, type BridgeEvents, type BridgeRunSummary } from '../core/bridge-pipeline.ts';
import { BanyanError } from '../core/errors.ts';
import type { OwnershipClaim, OwnershipRole } from '../connectors/kafka/group-ownership.ts';

/** Where a bridge is in its life, as GET /bridges and `banyan_bridge_state` show it. */
export type BridgeState =
  /** Joining its ownership group (or rejoining after the group member crashed). */
  | 'joining'
  /** Another instance owns it; this one takes over if that one dies. */
  | 'standby'
  /** Owned here: assembling (topics, checkpoint) before the first read. */
  | 'starting'
  | 'running'
  /** Owned here, waiting to retry a retriable failure (Kafka or the source unavailable). */
  | 'retrying'
  /** A non-retriable error stopped it; `error` says which. */
  | 'stopped'
  /** `--until-idle`: its source is drained and everything read is committed. */
  | 'finished';

export interface BridgeStatus {
  readonly name: string;
  readonly source: string;
  readonly sink: string;
  readonly state: BridgeState;
  /** This instance's id, and the owner's when known. */
  readonly instance: string;
  readonly owner: string | null;
  /** When `state` last changed (ISO 8601). */
  readonly since: string;
  readonly records: { readonly read: number; readonly published: number; readonly deadLettered: number; readonly skipped: number };
  readonly bytes: number;
  readonly lastCommitAt: string | null;
  readonly lastBatchMs: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** How the run ended, for `banyan run`. */
export interface BridgeOutcome {
  readonly name: string;
  readonly totals: BridgeRunSummary;
  /** Set when the bridge stopped on a non-retriable error. */
  readonly error?: Error;
}

export interface BridgeHostOptions {
  readonly bridge: BridgeConfig;
  readonly instanceId: string;
  /**
   * Joins the bridge's ownership group (claimOwnership with the gateway's Kafka and timings).
   * Absent: the bridge needs no single owner (a queue whose order does not matter, read by every
   * instance at once), and this instance runs it as if it owned it.
   */
  readonly claim?: () => Promise<OwnershipClaim>;
  /** Builds the bridge's pipeline, or the retry processor of a `redelivery:` bridge (assembleRunnableBridge). */
  readonly assemble: () => Promise<AssembledBridge | RunnableBridge>;
  /** Stop once the source is drained and committed (`banyan run --until-idle`). */
  readonly untilIdle: boolean;
  readonly logger: Logger;
  /** Further subscribers to the pipeline's events (the Prometheus metrics). */
  readonly events?: BridgeEvents & { stateChanged?(state: BridgeState, role: OwnershipRole | undefined): void };
  readonly backoff?: BackoffPolicy;
}

export interface BridgeHost {
  readonly name: string;
  status(): BridgeStatus;
  /** Resolves when the bridge is healthy (running, standing by, finished); rejects with why not. */
  check(): Promise<void>;
  /** Starts supervising in the background; returns at once (Kafka may still be down). */
  start(): void;
  /** Finishes and commits the batch in flight, leaves the ownership group, releases everything. */
  stop(): Promise<void>;
  /** Resolves once the bridge finished (`untilIdle`) or stopped on an error. */
  readonly settled: Promise<BridgeOutcome>;
}

export function createBridgeHost(o: BridgeHostOptions): BridgeHost {
  const name = o.bridge.name;
  const log = o.logger;
  const backoff = o.backoff ?? { initialMs: 200, maxMs: 30_000 };
  const totals = { records: 0, published: 0, deadLettered: 0, skipped: 0 };
  let bytes = 0;
  let lastCommitAt: number | null = null;
  let lastBatchMs: number | null = null;
  let state: BridgeState = 'joining';
  let since = Date.now();
  let role: OwnershipRole | undefined;
  let owner: string | undefined;
  let error: Error | undefined;
  let claim: OwnershipClaim | undefined;
  let run: { controller: AbortController; done: Promise<void> } | undefined;
  const stopping = new AbortController();
  let settle!: (outcome: BridgeOutcome) => void;
  const settled = new Promise<BridgeOutcome>((r) => (settle = r));

  const setState = (next: BridgeState) => {
    if (next === state) return;
    state = next;
    since = Date.now();
    o.events?.stateChanged?.(state, role);
  };
  const terminal = () => state === 'stopped' || state === 'finished';

  const events: BridgeEvents = {
    batchWritten(e) {
      totals.records += e.records;
      totals.published += e.published;
      totals.deadLettered += e.deadLettered;
      totals.skipped += e.skipped;
      bytes += e.bytes;
      lastBatchMs = e.ms;
      if (state === 'retrying') setState('running');
      o.events?.batchWritten?.(e);
    },
    committed(e) {
      lastCommitAt = e.at;
      o.events?.committed?.(e);
    },
    retrying(e) {
      setState('retrying');
      log.warn({ err: e.error, stage: e.stage, attempt: e.attempt, delayMs: e.delayMs }, 'bridge retrying');
      o.events?.retrying?.(e);
    },
  };

  /** Runs the pipeline while this instance owns the bridge; called on every change of ownership. */
  const reconcile = () => {
    if (stopping.signal.aborted || terminal()) return;
    if (role === 'owner' && !run) run = startRun();
    else if (role !== 'owner') {
      run?.controller.abort();
      if (!run) setState(role === 'standby' ? 'standby' : 'joining');
    }
  };

  const startRun = () => {
    const controller = new AbortController();
    const done = (async () => {
      for (let attempt = 0; !controller.signal.aborted; attempt++) {
        setState('starting');
        let assembled: AssembledBridge | RunnableBridge | undefined;
        try {
          assembled = await o.assemble();
          setState('running');
          log.info({ instance: o.instanceId }, 'bridge running: this instance owns it');
          const summary =
            'run' in assembled ? await assembled.run(controller.signal, { events, untilIdle: o.untilIdle }) : await runBridgePipeline({ ...assembled.options, untilIdle: o.untilIdle, events }, controller.signal);
          if (!controller.signal.aborted) {
            setState('finished');
            log.info({ ...summary }, 'bridge finished: source drained and committed');
            settle({ name, totals: { ...totals } });
          }
          return;
        } catch (err) {
          const gaveUp = err instanceof BanyanError && err.retriable ? exhausted(backoff, attempt + 1, 'start', err) : undefined;
          if (err instanceof BanyanError && err.retriable && !controller.signal.aborted && !gaveUp) {
            const delayMs = backoffDelay(backoff, attempt);
            setState('retrying');
            log.warn({ err, delayMs }, 'bridge could not run, retrying');
            await sleep(delayMs, controller.signal);
            continue;
          }
          if (controller.signal.aborted && err instanceof BanyanError && err.retriable) return;
          error = gaveUp ?? (err as Error);
          setState('stopped');
          log.error({ err: error }, 'bridge stopped on an error it cannot retry; the other bridges keep running');
          settle({ name, totals: { ...totals }, error: error });
          return;
        } finally {
          await assembled?.close().catch((err: unknown) => log.warn({ err }, 'bridge failed to release its Kafka producer'));
        }
      }
    })().finally(() => {
      run = undefined;
      if (!terminal() && !stopping.signal.aborted) {
        setState(role === 'owner' ? 'starting' : role === 'standby' ? 'standby' : 'joining');
        reconcile(); // ownership came back while the run was stopping
      }
    });
    return { controller, done };
  };

  const supervise = async () => {
    if (!o.claim) {
      role = 'owner';
      owner = o.instanceId;
      reconcile();
      return;
    }
    for (let attempt = 0; !stopping.signal.aborted; attempt++) {
      try {
        claim = await o.claim!();
        break;
      } catch (err) {
        const delayMs = backoffDelay(backoff, attempt);
        log.warn({ err, delayMs }, 'bridge could not join its ownership group, retrying');
        await sleep(delayMs, stopping.signal);
      }
    }
    if (!claim) return;
    if (stopping.signal.aborted) return void (await claim.close());
    const onOwnership = (s: OwnershipClaim['state']) => {
      const was = role;
      role = s.role;
      owner = s.owner;
      if (was !== role) log.info({ role, owner: owner ?? null }, role === 'owner' ? 'this instance now owns the bridge' : `bridge ownership: ${role}`);
      reconcile();
    };
    claim.onChange(onOwnership);
    onOwnership(claim.state);
  };

  return {
    name,
    settled,
    status() {
      return {
        name,
        source: kindOf(o.bridge.source),
        sink: kindOf(o.bridge.sink),
        state,
        instance: o.instanceId,
        owner: owner ?? null,
        since: new Date(since).toISOString(),
        records: { read: totals.records, published: totals.published, deadLettered: totals.deadLettered, skipped: totals.skipped },
        bytes,
        lastCommitAt: lastCommitAt === null ? null : new Date(lastCommitAt).toISOString(),
        lastBatchMs: lastBatchMs === null ? null : Math.round(lastBatchMs * 10) / 10,
        error: error ? { code: (error as { code?: string }).code ?? 'BANYAN_ERR_INTERNAL', message: error.message } : null,
      };
    },
    async check() {
      if (state === 'running' || state === 'standby' || state === 'finished') return;
      if (state === 'stopped') throw new Error(`stopped: ${(error as { code?: string } | undefined)?.code ?? 'error'}: ${error?.message ?? ''}`);
      throw new Error(state === 'retrying' ? 'retrying after a failure (see the log)' : state);
    },
    start() {
      void supervise();
    },
    async stop() {
      stopping.abort();
      run?.controller.abort();
      await run?.done;
      await claim?.close().catch(() => {});
      settle({ name, totals: { ...totals }, ...(error ? { error } : {}) });
    },
  };
}

/** The connector kind a `source:` or `sink:` block names (exactly one, checked at load). */
export function kindOf(block: object): string {
  return Object.entries(block).find(([, v]) => v !== undefined)?.[0] ?? 'unknown';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
