/**
 * The caller's side of "keep the batch until Kafka acknowledged it": publishes, and on a retriable
 * failure (broker down, leader moving, producer re-created) waits with capped exponential back-off
 * and publishes the same batch again. Non-retriable failures and an abort end the loop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BanyanError } from '../../core/errors.ts';
import type { PublishReceipt, PublishRecord, Publisher } from './publisher.ts';

export interface RetryPolicy {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stops retrying (rejecting with the abort reason) when aborted, e.g. at gateway shutdown. */
  signal?: AbortSignal;
  /** Called before each wait; for logs and metrics. */
  onRetry?: (error: BanyanError, attempt: number) => void;
}

export async function publishUntilAcknowledged(
  publisher: Publisher,
  batch: readonly PublishRecord[],
  policy: RetryPolicy = {},
): Promise<PublishReceipt> {
  let backoff = policy.initialBackoffMs ?? 200;
  const maxBackoff = policy.maxBackoffMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    policy.signal?.throwIfAborted();
    try {
      return await publisher.publish(batch);
    } catch (err) {
      if (!(err instanceof BanyanError) || !err.retriable) throw err;
      policy.onRetry?.(err, attempt);
      // timers/promises rejects with a generic AbortError; give the caller its own reason.
      await sleep(backoff, undefined, { signal: policy.signal }).catch((e: unknown) => {
        policy.signal?.throwIfAborted();
        throw e;
      });
      backoff = Math.min(backoff * 2, maxBackoff);
    }
  }
}
