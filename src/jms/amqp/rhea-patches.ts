/**
 * Fixes to rhea 3.0.5 that the AMQP endpoint needs, applied to rhea's own prototypes once, when this
 * module is first imported (docs/rhea-patches.md has the upstream-ready description of each):
 *
 *  1. Transactions (AMQP 1.0 §4): rhea knows no coordinator terminus (lib/terminus.js logs
 *     "Unknown terminus: 48" and the link's target becomes null) and its Reader folds a described
 *     value whose value is itself described (an amqp-value section holding `declare` / `discharge`)
 *     into one constructor, keeping only the outer descriptor: the marker is lost. Patched:
 *     `terminus.unwrap` knows `coordinator` (0x30), `Reader.read` nests descriptors, and
 *     `message.unwrap_outcome` knows `declared` (0x33) and `transactional-state` (0x34).
 *  2. Dispositions: `write_dispositions` (lib/session.js) sends one outcome for deliveries whose
 *     outcomes differ when they are set in the same event-loop pass (see disposition-ranges.ts).
 *     Patched: the sessions' `update` queues go to our own list, written with planDispositions.
 *
 * Why patch at load rather than edit node_modules: it needs no install step, survives `npm ci`, and
 * cannot leak into other checkouts sharing hard-linked node_modules. Each patch first checks that
 * rhea's code still has the shape it was written for, and throws BANYAN_ERR_JMS_AMQP_RHEA_CHANGED
 * otherwise, so a rhea upgrade is reviewed rather than silently half-patched.
 */
import { createRequire } from 'node:module';
import { JmsAmqpErrors } from './errors.ts';
import { planDispositions, type PendingDisposition } from './disposition-ranges.ts';

const require = createRequire(import.meta.url);

/** The rhea release these patches were written against and checked on. */
export const PATCHED_RHEA_VERSION = '3.0.5';

/** AMQP 1.0 §4.5 descriptor codes of the transaction types. */
export const TXN_CODES = { coordinator: 0x30, declare: 0x31, discharge: 0x32, declared: 0x33, transactionalState: 0x34 } as const;

/** A described AMQP value as rhea's types module represents it. */
export interface RheaTyped {
  readonly type?: unknown;
  value: unknown;
  descriptor?: { readonly value: unknown };
}

/** A rhea composite (source, target, outcome) built by types.define_composite. */
export interface RheaComposite {
  readonly value: unknown[];
  described(): RheaTyped;
  [field: string]: unknown;
}

type CompositeClass = { new (fields?: unknown[]): RheaComposite; create(fields: Record<string, unknown>): RheaComposite; composite_type?: string };

interface RheaTypesModule {
  define_composite(def: { name: string; code: number; fields: { name: string; type: string; mandatory?: boolean; multiple?: boolean; default_value?: unknown }[] }): CompositeClass;
  described_nc(descriptor: unknown, value: unknown): RheaTyped;
  described(descriptor: unknown, value: unknown): RheaTyped;
  wrap_ulong(n: number): RheaTyped;
  unwrap(o: unknown, leaveDescribed?: boolean): unknown;
  unwrap_map_simple(o: RheaTyped): Record<string, unknown>;
  Reader: { prototype: { read(this: ReaderLike): unknown } };
  Writer: { prototype: { write(this: WriterLike, o: unknown): void } };
}

interface WriterLike {
  write(o: unknown): void;
  write_typecode(code: number): void;
}

interface ReaderLike {
  buffer: Buffer;
  position: number;
  read(): unknown;
}

interface DeliveryLike extends PendingDisposition {
  readonly link: { is_receiver(): boolean; connection: { _register(): void }; session: { output(frame: unknown): void } };
  remote_settled: boolean;
}

interface SessionQueue {
  banyanPending?: DeliveryLike[];
  process(...args: unknown[]): void;
  update(delivery: DeliveryLike | undefined, settled: boolean, state?: unknown): void;
}

const types = require('rhea/lib/types.js') as RheaTypesModule;
const terminus = require('rhea/lib/terminus.js') as { unwrap(field: unknown): unknown };
const message = require('rhea/lib/message.js') as {
  unwrap_outcome(outcome: unknown): unknown;
  accepted(): RheaComposite;
  rejected(fields: { error?: { condition: string; description?: string } }): RheaComposite;
};
const frames = require('rhea/lib/frames.js') as { disposition(fields: Record<string, unknown>): unknown };
/** rhea's (unexported) Typed class, the constructor of every wrapped value. */
const Typed = (types.wrap_ulong(0) as object).constructor as new (type: unknown, value: unknown) => RheaTyped;
const Session = require('rhea/lib/session.js') as new (connection: unknown, channel: number) => { outgoing: SessionQueue; incoming: SessionQueue };

/** AMQP 1.0 §4.5.1 coordinator terminus (the target of a transaction controller's link). */
export const Coordinator = types.define_composite({
  name: 'coordinator',
  code: TXN_CODES.coordinator,
  fields: [{ name: 'capabilities', type: 'symbol', multiple: true }],
});

/** AMQP 1.0 §4.5.5 declared outcome. */
export const Declared = types.define_composite({
  name: 'declared',
  code: TXN_CODES.declared,
  fields: [{ name: 'txn_id', type: 'binary', mandatory: true }],
});
Declared.composite_type = 'declared';

/** AMQP 1.0 §4.5.6 transactional-state: a delivery's state inside a transaction. */
export const TransactionalState = types.define_composite({
  name: 'transactional_state',
  code: TXN_CODES.transactionalState,
  fields: [
    { name: 'txn_id', type: 'binary', mandatory: true },
    // Raw: rhea's unwrap would drop the outcome's descriptor (the caller unwraps it with outcomes.unwrap).
    { name: 'outcome', type: '*' },
  ],
});
TransactionalState.composite_type = 'transactional_state';

let installed = false;

/** Applies the patches (idempotent). Importing src/jms/amqp/* calls it; exported for tests and the CLI. */
export function installRheaPatches(): void {
  if (installed) return;
  checkShape();
  patchCoordinatorTerminus();
  patchNestedDescribedValues();
  patchTransactionOutcomes();
  patchDispositions();
  keepAmqpTypes();
  patchDrainAnswer();
  installed = true;
}

function checkShape(): void {
  const version = (require('rhea/package.json') as { version: string }).version;
  const probe = new Session({ options: {} }, 0);
  const outgoing = Object.getPrototypeOf(probe.outgoing) as SessionQueue;
  const incoming = Object.getPrototypeOf(probe.incoming) as SessionQueue;
  const expectations: [boolean, string][] = [
    [String(outgoing.process).includes('write_dispositions(this.pending_dispositions)'), 'Outgoing.process writes pending_dispositions'],
    [String(outgoing.update).includes('this.pending_dispositions.push(delivery)'), 'Outgoing.update queues into pending_dispositions'],
    [String(incoming.process).includes('write_dispositions(this.updated)'), 'Incoming.process writes updated'],
    [String(incoming.update).includes('this.updated.push(delivery)'), 'Incoming.update queues into updated'],
    [String(terminus.unwrap).includes('Unknown terminus'), 'terminus.unwrap rejects unknown termini'],
    [String(types.Reader.prototype.read).includes('read_constructor'), 'Reader.read reads one constructor'],
    [String(types.described_nc).includes('o.descriptor = descriptor'), 'described_nc sets the descriptor'],
    [String(types.Writer.prototype.write).includes('write_constructor(o.type.typecode, o.descriptor)'), 'Writer.write writes one constructor'],
    [!String((require('rhea/lib/link.js') as { Sender: { prototype: SenderProto } }).Sender.prototype.set_drained).includes('_register'), 'Sender.set_drained does not register'],
  ];
  const broken = expectations.filter(([ok]) => !ok).map(([, what]) => what);
  if (broken.length > 0) {
    throw new JmsAmqpErrors.BANYAN_ERR_JMS_AMQP_RHEA_CHANGED(version, PATCHED_RHEA_VERSION, broken.join('; '));
  }
}

/** Patch 1a: attach frames with a coordinator target become a Coordinator (was: null + a warning). */
function patchCoordinatorTerminus(): void {
  const original = terminus.unwrap;
  terminus.unwrap = function unwrapWithCoordinator(field: unknown): unknown {
    const described = field as RheaTyped | null | undefined;
    const code = described?.descriptor?.value;
    if (code === TXN_CODES.coordinator || code === 'amqp:coordinator:list') return new Coordinator(described?.value as unknown[]);
    return original.call(this, field);
  };
}

/**
 * Patch 1b: `0x00 <d1> 0x00 <d2> <value>` is a value described by d1 whose value is described by d2
 * (AMQP 1.0 §1.2: a descriptor is followed by any constructor), e.g. an amqp-value section (0x77)
 * holding a `declare` (0x31). rhea lost d2 both ways: the Reader read both descriptors into one
 * constructor and kept d1; `described_nc` (used by message.encode) overwrote d2 with d1. Here a
 * nested described value is its own Typed, read, written and unwrapped as such.
 */
function patchNestedDescribedValues(): void {
  const originalRead = types.Reader.prototype.read;
  types.Reader.prototype.read = function readNested(this: ReaderLike): unknown {
    if (this.buffer[this.position] !== 0x00) return originalRead.call(this);
    this.position++;
    const descriptor = this.read();
    return types.described_nc(descriptor, this.read());
  };
  const originalDescribed = types.described_nc;
  types.described_nc = function describedKeepingInner(descriptor: unknown, value: unknown): RheaTyped {
    const inner = value as RheaTyped | undefined;
    if (inner?.descriptor === undefined || Array.isArray(descriptor)) return originalDescribed.call(this, descriptor, value);
    // A Typed like rhea's own, so types.unwrap() peels the outer descriptor and keeps the inner one.
    const outer = new Typed(inner.type, inner) as RheaTyped & { [NESTED]?: true };
    outer.descriptor = descriptor as RheaTyped['descriptor'];
    outer[NESTED] = true;
    return outer;
  };
  types.described = types.described_nc;
  const originalWrite = types.Writer.prototype.write;
  types.Writer.prototype.write = function writeNested(this: WriterLike, o: RheaTyped & { [NESTED]?: true }): void {
    if (o?.[NESTED] !== true) return originalWrite.call(this, o);
    this.write_typecode(0x00);
    this.write(o.descriptor);
    this.write(o.value as RheaTyped);
  };
}

const NESTED = Symbol('banyan.nestedDescribed');

/** Patch 1c: declared and transactional-state dispositions are outcomes rhea can dispatch. */
function patchTransactionOutcomes(): void {
  const original = message.unwrap_outcome;
  message.unwrap_outcome = function unwrapWithTransactions(outcome: unknown): unknown {
    const code = (outcome as RheaTyped | undefined)?.descriptor?.value;
    if (code === TXN_CODES.declared || code === 'amqp:declared:list') return new Declared((outcome as RheaTyped).value as unknown[]);
    if (code === TXN_CODES.transactionalState || code === 'amqp:transactional-state:list') {
      return new TransactionalState((outcome as RheaTyped).value as unknown[]);
    }
    return original.call(this, outcome);
  };
}

/**
 * Patch 2: both session queues collect updated deliveries in `banyanPending`, written by
 * planDispositions; rhea's own lists stay empty so its write_dispositions never runs. Incoming
 * outcomes are set by the application between passes: written first, as rhea did. Outgoing ones
 * can be set by handlers rhea calls during the pass: written last, as rhea did.
 */
function patchDispositions(): void {
  const probe = new Session({ options: {} }, 0);
  for (const [queue, writeFirst] of [
    [Object.getPrototypeOf(probe.outgoing) as SessionQueue, false],
    [Object.getPrototypeOf(probe.incoming) as SessionQueue, true],
  ] as const) {
    const originalProcess = queue.process;
    queue.update = function updateIntoBanyanPending(this: SessionQueue, delivery, settled, state) {
      if (!delivery) return;
      (delivery as { settled: boolean }).settled = settled;
      if (state !== undefined) (delivery as { state: unknown }).state = state;
      if (!delivery.remote_settled) (this.banyanPending ??= []).push(delivery);
      delivery.link.connection._register();
    };
    queue.process = function processWithPlannedDispositions(this: SessionQueue, ...args: unknown[]) {
      if (writeFirst) writePending(this);
      originalProcess.apply(this, args);
      if (!writeFirst) writePending(this);
    };
  }
}

function writePending(queue: SessionQueue): void {
  const pending = queue.banyanPending;
  if (!pending || pending.length === 0) return;
  queue.banyanPending = [];
  for (const { first, last } of planDispositions(pending)) {
    first.link.session.output(
      frames.disposition({ role: first.link.is_receiver(), first: first.id, last: last.id, state: first.state, settled: first.settled }),
    );
  }
}

/**
 * Where keepAmqpTypes leaves the AMQP type of decoded values (a non-enumerable property):
 * on a decoded application-properties / annotations map, a Map from key to rhea type name
 * ('Byte', 'Short', 'Int', 'SmallInt', 'Long', 'Float', 'CharUTF32', 'Str8', ...); on a decoded
 * amqp-value / amqp-sequence body that is a map or list, the section's raw Typed items (a map's
 * as key, value, key, value...).
 */
export const AMQP_TYPES = Symbol.for('banyan.amqpTypes');
export const AMQP_RAW = Symbol.for('banyan.amqpRaw');

/**
 * 3 (a feature, not a fix): rhea decodes AMQP values to plain JavaScript values, so a JMS byte,
 * short and int property all arrive as `number`, and a char as a number too. The JMS mapping must
 * give a Java client back the type it sent (JMS 2.0 §3.5.4), so the types are kept beside the values.
 */
function keepAmqpTypes(): void {
  const originalMap = types.unwrap_map_simple;
  types.unwrap_map_simple = function unwrapMapKeepingTypes(o: RheaTyped): Record<string, unknown> {
    const result = originalMap.call(this, o);
    const entries = o.value as RheaTyped[];
    const typesByKey = new Map<string, string>();
    for (let i = 0; i + 1 < entries.length; i += 2) {
      typesByKey.set(String(entries[i].value), typeName(entries[i + 1]));
    }
    Object.defineProperty(result, AMQP_TYPES, { value: typesByKey, enumerable: false });
    return result;
  };
  const originalUnwrap = types.unwrap;
  types.unwrap = function unwrapKeepingBodyTypes(o: unknown, leaveDescribed?: boolean): unknown {
    const result = originalUnwrap.call(this, o, leaveDescribed);
    const code = (o as RheaTyped | undefined)?.descriptor?.value;
    if (!leaveDescribed && (code === 0x77 || code === 0x76) && typeof result === 'object' && result !== null) {
      Object.defineProperty(result, AMQP_RAW, { value: (o as RheaTyped).value, enumerable: false });
    }
    return result;
  };
}

/** The rhea type name of a wrapped value ('Null' for anything untyped). */
export function typeName(value: unknown): string {
  const type = (value as RheaTyped | undefined)?.type as { name?: string } | undefined;
  return type?.name ?? 'Null';
}

installRheaPatches();

/**
 * Patch 4: `Sender.set_drained(true)` marks the drain answer (a flow spending the credit, AMQP 1.0
 * §2.6.7) but does not schedule the connection's output, so the answer waits for unrelated
 * traffic; Qpid JMS's receiveNoWait / receive(timeout) then time out ("Remote did not respond to a
 * drain request in time"). Patched: it registers the connection for output, as every other
 * link operation does.
 */
function patchDrainAnswer(): void {
  const Sender = (require('rhea/lib/link.js') as { Sender: { prototype: SenderProto } }).Sender;
  const original = Sender.prototype.set_drained;
  Sender.prototype.set_drained = function setDrainedAndFlush(this: SenderProto & { connection: { _register(): void } }, drained: boolean): void {
    original.call(this, drained);
    if (drained) this.connection._register();
  };
}

interface SenderProto {
  set_drained(drained: boolean): void;
}

/**
 * rhea answers a peer's attach as soon as the attach handler returns. The endpoint's answers need
 * async work first (a Kafka consumer group, a temporary topic): this takes the answer back, and
 * `answerAttach` sends it once the terminus is set (link.open() as rhea would have called it).
 */
export function deferAttach(link: { state: { local_open: boolean; open_requests: number } }): void {
  if (link.state.local_open && link.state.open_requests > 0) {
    link.state.local_open = false;
    link.state.open_requests--;
  }
}

export function answerAttach(link: { open(): void }): void {
  link.open();
}

/**
 * rhea answers a peer's detach on the next tick. The endpoint answers once the link's work is done
 * (a consumer's group left, an unsubscribed subscription deleted), so a client that waits for the
 * answer (Qpid JMS close() and unsubscribe() do) cannot race it. Called from the close handler:
 * rhea marks the link's state after the handler returns and answers on the next tick only if the
 * mark is still its own, so a tick queued here (it runs first) re-marks it; `answerDetach` answers.
 */
export function deferDetach(link: { state: { mark(o: unknown): unknown } }): void {
  process.nextTick(() => link.state.mark({}));
}

export function answerDetach(
  link: { close(error?: unknown): void; remove(): void; is_closed(): boolean; session: { is_open(): boolean }; connection: { is_open(): boolean } },
  error?: { condition: string; description: string },
): void {
  // A session or connection that ended in the meantime took the link with it.
  if (link.is_closed() || !link.session.is_open() || !link.connection.is_open()) return;
  link.close(error);
  process.nextTick(() => link.remove());
}

/** Described outcomes to put in a disposition (rhea's message.accepted() etc., typed). */
export const outcomes = {
  accepted: (): RheaTyped => message.accepted().described(),
  rejected: (condition: string, description: string): RheaTyped => message.rejected({ error: { condition, description } }).described(),
  /** A described outcome as received (e.g. inside transactional-state) as rhea's outcome object. */
  unwrap: (outcome: unknown): unknown => message.unwrap_outcome(outcome),
};

/**
 * An AMQP error (AMQP 1.0 §2.8.14) whose info map has symbol keys and values. rhea writes info
 * keys and values as strings; Qpid JMS looks up `invalid-field` as a symbol, so without this the
 * clientID clash reads as a plain remote close instead of InvalidClientIDException.
 */
export function symbolicError(condition: string, description: string, info: Readonly<Record<string, string>>): RheaTyped {
  const t = types as unknown as Record<string, (...a: unknown[]) => unknown>;
  const symbols: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) symbols[k] = t.wrap_symbol(v);
  return types.described_nc(t.wrap_ulong(0x1d), t.wrap_list([t.wrap_symbol(condition), t.wrap_string(description), t.wrap_map(symbols, t.wrap_symbol)]));
}

/** Closes a connection with an error built by symbolicError (rhea would re-wrap its info map). */
export function closeWithError(connection: { close(): void; local: { close: { value: unknown[] } } }, error: RheaTyped): void {
  connection.close();
  connection.local.close.value[0] = error;
}
