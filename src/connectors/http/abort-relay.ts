/**
 * The caller's AbortSignal, as undici sees it. The retry processor hands every delivery the same
 * long-lived signal; passing it straight to undici adds and removes an AbortSignal listener
 * (events.addAbortListener) per request, which cost about 14 µs of CPU per delivery in two of
 * three paired runs here (bench/http-target.bench.ts's workload, medians of 15 chunks; the third
 * was lost in machine noise), against about 1 µs through a relay. undici also accepts an
 * EventEmitter as `signal` (once('abort') / removeListener, much cheaper), so each caller signal
 * gets one relay: one listener on the signal, re-emitted to every request in flight.
 *
 * The relay has no `aborted` property on purpose: undici would take it for an AbortSignal. A
 * signal already aborted never reaches undici (http-target.ts answers `Aborted` without sending).
 */
import { EventEmitter } from 'node:events';

const relays = new WeakMap<AbortSignal, EventEmitter>();

export function abortRelay(signal: AbortSignal): EventEmitter {
  let relay = relays.get(signal);
  if (relay === undefined) {
    const created = new EventEmitter();
    // One listener per request in flight: as many as the processor's lanes.
    created.setMaxListeners(0);
    signal.addEventListener('abort', () => created.emit('abort'), { once: true });
    relays.set(signal, created);
    relay = created;
  }
  return relay;
}
