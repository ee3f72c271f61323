/**
 * "Connect once, remember it": how this folder holds a kafkajs producer or admin. The publisher,
 * the topic admin and the probe each keep one connection and share this one failure behaviour:
 *
 * - get() resolves with the remembered connection, or makes one (create(), then connect()).
 *   Concurrent callers share one attempt: create() and connect() run once for all of them.
 * - A failed connect is not remembered. The half-made instance is disconnected (best effort: it
 *   may hold sockets), every caller sharing that attempt gets the connect error unchanged, and the
 *   next get() starts a new attempt with a new instance. So a caller retries simply by calling again.
 * - disconnect() forgets the connection at once (waiting for an attempt in flight) and disconnects
 *   it, rejecting with the disconnect error if that fails; the next get() connects anew.
 */

/** What kafkajs' Producer, Consumer and Admin have in common. */
export interface Connectable {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface RememberedConnection<T extends Connectable> {
  /** The connected instance; connects first when none is remembered. Rejects with connect()'s error. */
  get(): Promise<T>;
  /** Forgets and disconnects the instance (none: resolves). A later get() connects a new one. */
  disconnect(): Promise<void>;
}

export function connectOnce<T extends Connectable>(create: () => T): RememberedConnection<T> {
  let current: T | undefined;
  let attempt: Promise<T> | undefined;
  // Bumped by disconnect(): an attempt still in flight then neither becomes current nor clears the
  // attempt that a get() after disconnect() may have started.
  let generation = 0;

  const open = async (): Promise<T> => {
    const instance = create();
    try {
      await instance.connect();
    } catch (err) {
      await instance.disconnect().catch(() => {});
      throw err;
    }
    return instance;
  };

  return {
    get() {
      if (current) return Promise.resolve(current);
      if (!attempt) {
        const mine = generation;
        attempt = open()
          .then((instance) => {
            if (mine === generation) current = instance;
            return instance;
          })
          .finally(() => {
            if (mine === generation) attempt = undefined;
          });
      }
      return attempt;
    },
    async disconnect() {
      generation++;
      const [held, pending] = [current, attempt];
      current = undefined;
      attempt = undefined;
      const instance = held ?? (await pending?.catch(() => undefined));
      await instance?.disconnect();
    },
  };
}
