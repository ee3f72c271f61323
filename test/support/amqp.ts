/**
 * What AMQP-backed tests share: unique queue names, and a plain rhea client of their own (the
 * oracle, independent of the transport under test) that sends messages the way a JMS application
 * would and reads a queue to its end.
 */
import { randomBytes } from 'node:crypto';
import rhea, { type Connection, type ConnectionOptions, type Message } from 'rhea';

/** A queue name no other test (or earlier run on the same broker) uses. */
export function uniqueQueue(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9._-]/g, '-')}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

/** Sends each message to `address` and resolves once the broker accepted all of them. */
export async function sendRaw(port: number, address: string, messages: readonly Message[]): Promise<void> {
  const connection = await open(port);
  try {
    const sender = connection.open_sender({ target: { address, capabilities: ['queue'] } });
    await new Promise<void>((resolve, reject) => {
      let accepted = 0;
      let sent = 0;
      const sendSome = () => {
        while (sent < messages.length && sender.sendable()) sender.send(messages[sent++]);
      };
      sender.on('sendable', sendSome);
      sender.on('accepted', () => {
        if (++accepted === messages.length) resolve();
      });
      sender.on('rejected', (ctx) => reject(new Error(`broker rejected a message: ${JSON.stringify(ctx.delivery?.remote_state)}`)));
      sender.on('sender_error', (ctx) => reject(new Error(`sender refused: ${ctx.sender?.error}`)));
      if (messages.length === 0) resolve();
    });
  } finally {
    await closeConnection(connection);
  }
}

/**
 * Gets the first message on `address` and settles it as `modified` with delivery-failed, `times`
 * times: what a consumer that keeps failing on it (backing out) leaves behind, a raised delivery count.
 */
export async function failDeliveries(port: number, address: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const connection = await open(port);
    try {
      const receiver = connection.open_receiver({ source: { address, capabilities: ['queue'] }, credit_window: 0, autoaccept: false });
      receiver.add_credit(1);
      await new Promise<void>((resolve) => {
        receiver.once('message', (ctx) => {
          ctx.delivery!.modified({ delivery_failed: true });
          setTimeout(resolve, 100);
        });
      });
    } finally {
      await closeConnection(connection);
    }
  }
}

/**
 * Takes (accepts) everything on `address` until it stays empty for `quietMs`, and returns it: the
 * oracle's count of what a queue holds.
 */
export async function drainQueue(port: number, address: string, quietMs = 500): Promise<Message[]> {
  const connection = await open(port);
  try {
    const receiver = connection.open_receiver({ source: { address, capabilities: ['queue'] }, credit_window: 100 });
    const got: Message[] = [];
    await new Promise<void>((resolve) => {
      let timer = setTimeout(resolve, quietMs);
      receiver.on('message', (ctx) => {
        got.push(ctx.message as Message);
        clearTimeout(timer);
        timer = setTimeout(resolve, quietMs);
      });
    });
    return got;
  } finally {
    await closeConnection(connection);
  }
}

function open(port: number): Promise<Connection> {
  const container = rhea.create_container({ id: `banyan-test-oracle-${randomBytes(3).toString('hex')}` });
  const connection = container.connect({ host: '127.0.0.1', port, reconnect: false } as ConnectionOptions);
  return new Promise((resolve, reject) => {
    connection.once('connection_open', () => resolve(connection));
    connection.once('disconnected', (ctx) => reject(new Error(`oracle could not connect to 127.0.0.1:${port}: ${ctx.error ?? 'closed'}`)));
  });
}

function closeConnection(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    if (!connection.is_open()) {
      resolve();
      return;
    }
    connection.once('connection_close', () => resolve());
    connection.once('disconnected', () => resolve());
    connection.close();
  });
}
