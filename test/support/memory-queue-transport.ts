/**
 * An in-memory queue manager behind the queue port (src/core/queue-port.ts), with the MQI's unit of
 * work semantics: gets and puts under syncpoint are invisible to other sessions until commit; a
 * backout returns got messages to the front of their queue with BackoutCount + 1 and drops puts;
 * commit and backout cover everything the session did. For unit tests of the queue source and sink;
 * the transports themselves are tested against a fake of the ibmmq driver and a real Artemis.
 */
import { randomBytes } from 'node:crypto';
import type { MessageDescriptor, OutgoingMessage, QueueAttributes, QueueMessage, QueueSession, QueueTransport } from '../../src/core/queue-port.ts';

export interface MemoryQueueManager extends QueueTransport {
  /** Messages on a queue now (committed), oldest first. */
  depth(queue: string): number;
  browse(queue: string): QueueMessage[];
  /** Puts committed messages, as a legacy application would. */
  putCommitted(queue: string, message: OutgoingMessage): QueueMessage;
  setAttributes(queue: string, attributes: QueueAttributes): void;
  /** Sessions opened so far. */
  readonly sessions: number;
}

export function createMemoryQueueManager(): MemoryQueueManager {
  const queues = new Map<string, QueueMessage[]>();
  const attrs = new Map<string, QueueAttributes>();
  let sessions = 0;
  const q = (name: string) => {
    let list = queues.get(name);
    if (!list) queues.set(name, (list = []));
    return list;
  };
  const materialise = (queue: string, m: OutgoingMessage): QueueMessage => ({
    queue,
    body: m.body,
    bodyKind: m.bodyKind,
    properties: m.properties ?? {},
    descriptor: { ...defaultDescriptor(), ...m.descriptor, msgId: m.descriptor?.msgId ?? randomBytes(24) },
  });

  return {
    kind: 'memory',
    get sessions() {
      return sessions;
    },
    depth: (name) => q(name).length,
    browse: (name) => [...q(name)],
    putCommitted(queue, message) {
      const m = materialise(queue, message);
      q(queue).push(m);
      return m;
    },
    setAttributes: (name, a) => void attrs.set(name, a),
    async connect(): Promise<QueueSession> {
      sessions++;
      let got: QueueMessage[] = [];
      let puts: QueueMessage[] = [];
      let open = true;
      const session: QueueSession = {
        async get(queue, options) {
          if (!open) throw new Error('session closed');
          const list = q(queue);
          if (list.length === 0 && options.waitMs > 0) await new Promise((r) => setTimeout(r, Math.min(options.waitMs, 20)));
          const taken = list.splice(0, options.max);
          got.push(...taken);
          return taken;
        },
        async put(queue, message) {
          const m = materialise(queue, message);
          puts.push(m);
          return { msgId: m.descriptor.msgId };
        },
        async commit() {
          for (const m of puts) q(m.queue).push(m);
          got = [];
          puts = [];
        },
        async backout() {
          // Back to the front of their queues, in their order, one backout more each.
          for (const m of [...got].reverse()) q(m.queue).unshift({ ...m, descriptor: { ...m.descriptor, backoutCount: m.descriptor.backoutCount + 1 } });
          got = [];
          puts = [];
        },
        async attributes(queue) {
          return attrs.get(queue) ?? { backoutThreshold: 0, backoutQueue: '' };
        },
        async close() {
          if (open) await session.backout();
          open = false;
        },
      };
      return session;
    },
  };
}

function defaultDescriptor(): MessageDescriptor {
  return {
    msgId: new Uint8Array(24),
    correlId: new Uint8Array(24),
    format: 'MQSTR   ',
    ccsid: 1208,
    encoding: 546,
    priority: 0,
    persistence: 1,
    expiry: -1,
    msgType: 8,
    replyToQ: '',
    replyToQMgr: '',
    userIdentifier: 'app',
    putApplName: 'legacy',
    msgSeqNumber: 1,
    backoutCount: 0,
  };
}
