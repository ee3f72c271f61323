/**
 * Typed fan-out of RouterEvents to the control plane's listeners. A listener that throws is logged
 * and skipped: stats or audit bugs must never fail a client request.
 */
import type { RouterEvents } from '../contracts.ts';

export interface RouterEventBus {
  emit<E extends keyof RouterEvents>(event: E, payload: Parameters<RouterEvents[E]>[0]): void;
  on<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): void;
  off<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): void;
  has(event: keyof RouterEvents): boolean;
}

export function createEventBus(onListenerError: (event: string, err: unknown) => void): RouterEventBus {
  const listeners: { [E in keyof RouterEvents]: Array<RouterEvents[E]> } = { request: [], shadow: [], breaker: [], reload: [] };
  return {
    emit(event, payload) {
      const list = listeners[event] as Array<(p: typeof payload) => void>;
      for (let i = 0; i < list.length; i++) {
        try {
          list[i](payload);
        } catch (err) {
          onListenerError(event, err);
        }
      }
    },
    on(event, listener) {
      (listeners[event] as Array<typeof listener>).push(listener);
    },
    off(event, listener) {
      const list = listeners[event] as Array<typeof listener>;
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    },
    has(event) {
      return listeners[event].length > 0;
    },
  };
}
