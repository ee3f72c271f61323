/**
 * AMQP 1.0 error conditions (AMQP 1.0 §2.8.15 amqp-error, §2.8.16 connection-error, §2.8.17
 * link-error) onto the transport's codes: the one table that decides what is retriable, as
 * kafkajs-errors.ts does for Kafka. Anything not listed is taken as transient (retriable), since
 * a bridge must not stop for a condition a broker restart or failover cures.
 */
import type { BanyanError } from '../../core/errors.ts';
import { AmqpErrors } from './errors.ts';

/** Not retriable: the configuration is wrong and retrying cannot help. */
const PERMANENT: Readonly<Record<string, 'not-found' | 'unauthorized'>> = {
  'amqp:not-found': 'not-found',
  'amqp:unauthorized-access': 'unauthorized',
  'amqp:unauthorized': 'unauthorized',
};

/** The coded error for an error a connection or link carried (rhea's `.error`: { condition, description }). */
export function errorOfCondition(
  error: unknown,
  where: { readonly what: 'connection' | 'receiver' | 'sender'; readonly node: string },
): BanyanError {
  const { condition, description } = parts(error);
  const text = description ? `${condition}: ${description}` : condition;
  switch (PERMANENT[condition]) {
    case 'not-found':
      return new AmqpErrors.BANYAN_ERR_AMQP_NOT_FOUND(where.node, text);
    case 'unauthorized':
      return new AmqpErrors.BANYAN_ERR_AMQP_UNAUTHORIZED(`${where.what} on ${where.node}: ${text}`);
  }
  if (where.what === 'connection') return new AmqpErrors.BANYAN_ERR_AMQP_CONNECTION_LOST(where.node, text);
  return new AmqpErrors.BANYAN_ERR_AMQP_LINK_REFUSED(where.what, where.node, text);
}

function parts(error: unknown): { condition: string; description: string } {
  if (typeof error === 'object' && error !== null) {
    const e = error as { condition?: unknown; description?: unknown };
    return { condition: typeof e.condition === 'string' ? e.condition : 'unknown', description: typeof e.description === 'string' ? e.description : '' };
  }
  return { condition: 'unknown', description: error === undefined || error === null ? '' : String(error) };
}
