/**
 * A settle-once thenable that calls its one subscriber synchronously, in the tick it settles.
 *
 * Why not a Promise: opossum accepts any thenable from the action it wraps (`typeof result.then ===
 * 'function'`, then `.then(ok).catch(failed)`). With this one the breaker records an upstream call's
 * outcome in the tick the response arrives, and the router goes on right after, without a promise
 * per layer and a microtask hop per `then`/`await` on every proxied request (bench/router.bench.ts).
 * `await` works on it as well (it calls `then(resolve, reject)`).
 *
 * One subscriber at most, which is all the breaker needs; a second `then` throws instead of
 * silently dropping the first.
 */
export class SyncOutcome<T> implements PromiseLike<T> {
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  #value: T | undefined;
  #error: unknown;
  #onFulfilled: ((value: T) => unknown) | undefined;
  #onRejected: ((err: unknown) => unknown) | undefined;
  #subscribed = false;

  get settled(): boolean {
    return this.#state !== 'pending';
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((err: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    if (this.#subscribed) throw new Error('a SyncOutcome has one subscriber');
    this.#subscribed = true;
    this.#onFulfilled = onFulfilled ?? undefined;
    this.#onRejected = onRejected ?? undefined;
    if (this.#state !== 'pending') this.#notify();
    // `.then(ok).catch(failed)` lands its rejection handler on this same object.
    return this as unknown as PromiseLike<A | B>;
  }

  catch(onRejected: (err: unknown) => unknown): this {
    this.#onRejected ??= onRejected;
    return this;
  }

  /** Settles with a value; later calls are ignored. */
  fulfill(value: T): void {
    if (this.#state !== 'pending') return;
    this.#state = 'fulfilled';
    this.#value = value;
    this.#notify();
  }

  /** Settles with an error; later calls are ignored. */
  reject(err: unknown): void {
    if (this.#state !== 'pending') return;
    this.#state = 'rejected';
    this.#error = err;
    this.#notify();
  }

  #notify(): void {
    const ok = this.#onFulfilled;
    const failed = this.#onRejected;
    this.#onFulfilled = undefined;
    this.#onRejected = undefined;
    if (this.#state === 'rejected') return void failed?.(this.#error);
    if (!ok) return;
    try {
      ok(this.#value as T);
    } catch (err) {
      // What `.then(ok).catch(failed)` does with an `ok` that throws.
      failed?.(err);
    }
  }
}
