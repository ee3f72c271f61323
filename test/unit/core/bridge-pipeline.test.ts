/**
 * The bridge loop against in-memory fakes of its seams: the order of sink write, checkpoint and
 * source commit, dead letters, retries of retriable failures and the stop on the others.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchLimits, Sink, SinkRecord, Source, SourceBatch, SourceIdle, SourcePosition } from '../../../src/core/bridge-contracts.ts';
import { backoffDelay, runBridgePipeline, type BridgePipelineOptions, type RecordDecision } from '../../../src/core/bridge-pipeline.ts';
import { BanyanError } from '../../../src/core/errors.ts';

const retriable = () => new BanyanError('BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE', 'broker down', { retriable: true });
const fatal = () => new BanyanError('BANYAN_ERR_KAFKA_TOPIC_AUTHORIZATION', 'not allowed');

/** Records `r-0` .. `r-<n-1>`, batches of `size`; position = index of the next record. */
class ArraySource implements Source {
  readonly log: string[];
  next = 0;
  readFailures = 0;
  readonly #texts: string[];
  readonly #size: number;
  constructor(n: number, size: number, log: string[]) {
    this.#texts = Array.from({ length: n }, (_, i) => (i === 3 ? 'BAD' : `r-${i}`));
    this.#size = size;
    this.log = log;
  }
  async open(from: SourcePosition | undefined) {
    this.next = from ? (from.next as number) : 0;
    this.log.push(`open ${this.next}`);
  }
  async read(_limits: BatchLimits, _signal?: AbortSignal): Promise<SourceBatch | SourceIdle> {
    if (this.readFailures > 0) {
      this.readFailures--;
      throw retriable();
    }
    if (this.next >= this.#texts.length) return { idle: 'drained' };
    const from = this.next;
    const texts = this.#texts.slice(from, from + this.#size);
    this.next += texts.length;
    this.log.push(`read ${from}..${this.next - 1}`);
    return {
      records: texts.map((t, i) => ({ bytes: Buffer.from(t), recordNumber: from + i + 1, positionId: String(from + i), metadata: {} })),
      position: { next: this.next },
    };
  }
  async commit(position: SourcePosition) {
    this.log.push(`commit ${position.next}`);
  }
  async close() {
    this.log.push('close');
  }
}

class MemorySink implements Sink {
  readonly written: SinkRecord[] = [];
  failures: Array<() => Error> = [];
  readonly log: string[];
  constructor(log: string[]) {
    this.log = log;
  }
  async write(records: readonly SinkRecord[]) {
    const failure = this.failures.shift();
    if (failure) throw failure();
    this.written.push(...records);
    this.log.push(`write ${records.length}`);
  }
  async close() {}
}

const decode = (r: { bytes: Uint8Array }): RecordDecision => {
  const text = Buffer.from(r.bytes).toString();
  if (text === 'BAD') return { kind: 'rejected', rejection: { code: 'BANYAN_ERR_DECODE_PACKED_NIBBLE', reason: 'record 4: bad nibble', offset: 2, hex: '4B' } };
  if (text === 'r-5') return { kind: 'skipped' };
  return { kind: 'event', topic: 'legacy.t', key: `k${text.slice(2)}`, value: JSON.stringify({ text }) };
};

function setup(n = 8, size = 3) {
  const log: string[] = [];
  const source = new ArraySource(n, size, log);
  const sink = new MemorySink(log);
  const saved: SourcePosition[] = [];
  const sleeps: number[] = [];
  const options: BridgePipelineOptions = {
    provenance: { bridge: 'b1', mapping: { name: 'm', version: '1' } },
    source,
    decode,
    sink,
    checkpoints: {
      load: async () => saved.at(-1),
      save: async (p) => {
        saved.push(p);
        log.push(`checkpoint ${p.next}`);
      },
    },
    deadLetterTopic: 'legacy.t.dlq',
    limits: { maxRecords: size, maxBytes: 1 << 20, maxWaitMs: 0 },
    idlePollMs: 5,
    backoff: { initialMs: 100, maxMs: 1000 },
    untilIdle: true,
    sleep: async (ms) => void sleeps.push(ms),
  };
  return { log, source, sink, saved, sleeps, options };
}

test('every record reaches its topic or the dead-letter topic; each batch is written, then checkpointed, then committed', async () => {
  const { log, sink, options } = setup();
  const summary = await runBridgePipeline(options, new AbortController().signal);
  assert.deepEqual(summary, { records: 8, published: 6, deadLettered: 1, skipped: 1 });
  const writes = log.filter((l) => !l.startsWith('read'));
  assert.deepEqual(writes, ['open 0', 'write 3', 'checkpoint 3', 'commit 3', 'write 2', 'checkpoint 6', 'commit 6', 'write 2', 'checkpoint 8', 'commit 8', 'close']);
  const dlq = sink.written.filter((r) => r.topic === 'legacy.t.dlq');
  assert.equal(dlq.length, 1);
  assert.deepEqual(Buffer.from(dlq[0]!.value as Uint8Array).toString(), 'BAD', 'the raw bytes are the value');
  assert.equal(dlq[0]!.headers['banyan-error-code'], 'BANYAN_ERR_DECODE_PACKED_NIBBLE');
  assert.equal(dlq[0]!.headers['banyan-event-id'], 'b1/3');
  const events = sink.written.filter((r) => r.topic === 'legacy.t');
  assert.deepEqual(events.map((e) => e.key), ['k0', 'k1', 'k2', 'k4', 'k6', 'k7'], 'file order kept');
  assert.equal(events[0]!.headers['banyan-mapping-version'], '1');
});

test('the next batch is read while the previous one is written, but never committed before it', async () => {
  const { log, source, options } = setup();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sink: Sink = {
    async write(records) {
      log.push(`write ${records.length}`);
      if (log.filter((l) => l.startsWith('write')).length === 1) await gate;
    },
    async close() {},
  };
  const run = runBridgePipeline({ ...options, sink }, new AbortController().signal);
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(log.includes('read 3..5'), 'batch 2 read while batch 1 is unacknowledged');
  assert.ok(!log.some((l) => l.startsWith('commit')), 'nothing committed before the sink is durable');
  release();
  await run;
  assert.ok(log.indexOf('commit 3') < log.indexOf('commit 6'));
  assert.equal(source.next, 8);
});

test('a retriable sink failure is retried with growing back-off and the batch written once it succeeds', async () => {
  const { sink, sleeps, saved, options } = setup();
  sink.failures = [retriable, retriable, retriable];
  const summary = await runBridgePipeline(options, new AbortController().signal);
  assert.equal(summary.published, 6);
  assert.equal(sleeps.length, 3);
  assert.ok(sleeps[0]! >= 50 && sleeps[0]! <= 100 && sleeps[2]! >= 200 && sleeps[2]! <= 400, `back-off ${sleeps}`);
  assert.deepEqual(saved.at(-1), { next: 8 });
});

test('a non-retriable sink failure stops the bridge with its code, and the batch is not committed', async () => {
  const { log, sink, saved, options } = setup();
  sink.failures = [fatal];
  await assert.rejects(runBridgePipeline(options, new AbortController().signal), { code: 'BANYAN_ERR_KAFKA_TOPIC_AUTHORIZATION' });
  assert.equal(saved.length, 0);
  assert.ok(!log.some((l) => l.startsWith('commit')));
  assert.equal(log.at(-1), 'close', 'the source is closed');
});

test('with retry.max_attempts the bridge gives up after that many failures in a row, non-retriable, the batch not committed; without it, it never does', async () => {
  const limited = setup();
  limited.sink.failures = Array.from({ length: 10 }, () => retriable);
  const err = await runBridgePipeline({ ...limited.options, backoff: { initialMs: 100, maxMs: 1000, maxAttempts: 4 } }, new AbortController().signal).then(
    () => assert.fail('expected the bridge to give up'),
    (e: unknown) => e as BanyanError,
  );
  assert.equal(err.code, 'BANYAN_ERR_BRIDGE_RETRIES_EXHAUSTED');
  assert.equal(err.retriable, false);
  assert.match(err.message, /after 4 consecutive failed attempts .*at write: broker down/);
  assert.equal(limited.sleeps.length, 3, 'three back-offs between four attempts');
  assert.equal(limited.saved.length, 0);

  const unlimited = setup();
  unlimited.sink.failures = Array.from({ length: 10 }, () => retriable);
  assert.equal((await runBridgePipeline(unlimited.options, new AbortController().signal)).published, 6);
  assert.equal(unlimited.sleeps.length, 10);
});

test('a retriable read failure reopens the source at the last committed position', async () => {
  const { log, source, options } = setup();
  let reads = 0;
  const flaky: Source = {
    open: (p) => source.open(p),
    commit: (p) => source.commit(p),
    close: () => source.close(),
    async read(l, s) {
      if (++reads === 2) throw retriable();
      return source.read(l, s);
    },
  };
  const summary = await runBridgePipeline({ ...options, source: flaky }, new AbortController().signal);
  assert.ok(log.includes('open 3'), log.join(', '));
  assert.equal(summary.records, 8);
});

test('a checkpoint load that fails retriably (a broker just started, its leaders not elected yet) is retried, not a stopped bridge', async () => {
  const { log, sleeps, options } = setup();
  const failures = [retriable, retriable];
  const checkpoints = {
    ...options.checkpoints,
    async load() {
      const failure = failures.shift();
      if (failure) throw failure();
      return { next: 3 };
    },
  };
  const summary = await runBridgePipeline({ ...options, checkpoints }, new AbortController().signal);
  assert.equal(sleeps.length, 2, 'backed off twice');
  assert.ok(log.includes('open 3'), 'opened at the loaded checkpoint');
  assert.equal(summary.records, 5, 'records 3..7, after the checkpoint');
});

test('a checkpoint load that fails for good stops the bridge with its code before the source opens', async () => {
  const { log, options } = setup();
  const checkpoints = { ...options.checkpoints, load: async () => Promise.reject(fatal()) };
  await assert.rejects(runBridgePipeline({ ...options, checkpoints }, new AbortController().signal), { code: 'BANYAN_ERR_KAFKA_TOPIC_AUTHORIZATION' });
  assert.deepEqual(log, []);
});

test('on shutdown the batch in flight is written and committed, then the source closes', async () => {
  const { log, options } = setup(100, 3);
  const stop = new AbortController();
  const sink: Sink = {
    async write(records) {
      log.push(`write ${records.length}`);
      stop.abort();
    },
    async close() {},
  };
  const summary = await runBridgePipeline({ ...options, sink, untilIdle: false }, stop.signal);
  assert.ok(summary.records >= 3 && summary.records <= 6, `${summary.records}`);
  assert.equal(log.at(-1), 'close');
  assert.equal(log.filter((l) => l.startsWith('commit')).length, log.filter((l) => l.startsWith('write')).length);
});

test('back-off doubles from the initial delay up to the cap, half of it random', () => {
  const policy = { initialMs: 100, maxMs: 1000 };
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(policy, a, () => 1)), [100, 200, 400, 800, 1000, 1000]);
  assert.deepEqual([0, 3].map((a) => backoffDelay(policy, a, () => 0)), [50, 400]);
});
