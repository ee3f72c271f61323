/**
 * Fans one audit event out to the durable sink (Kafka) and to a small in-memory ring the console
 * shows as "recent changes". A failed write is logged with the whole event (so it is not lost from
 * the logs) and reported to the caller, but never undoes the change: a rollback must happen even
 * when Kafka is down.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditEvent, AuditSink } from './audit-event.ts';

export interface AuditTrail {
  /** Stamps id and time, keeps it for `recent`, publishes it; resolves true when the sink acknowledged. */
  record(event: Omit<AuditEvent, 'id' | 'at'> & { at?: number }): Promise<boolean>;
  /** Newest first. */
  recent(routeId?: string, limit?: number): AuditEvent[];
}

export interface AuditTrailOptions {
  readonly sink: AuditSink;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Events kept in memory for the console. */
  readonly keep?: number;
}

export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const now = options.now ?? Date.now;
  const keep = options.keep ?? 200;
  const ring: AuditEvent[] = [];
  return {
    async record(partial) {
      const event: AuditEvent = { ...partial, id: randomUUID(), at: partial.at ?? now() };
      ring.unshift(event);
      if (ring.length > keep) ring.length = keep;
      options.logger?.info({ audit: event }, `route ${event.routeId}: ${event.action} by ${event.actor}`);
      try {
        await options.sink.publish(event);
        return true;
      } catch (err) {
        options.logger?.error({ err, audit: event }, 'audit event could not be published');
        return false;
      }
    },
    recent(routeId, limit = 50) {
      return ring.filter((e) => !routeId || e.routeId === routeId).slice(0, limit);
    },
  };
}

/** Keeps events in memory only: for tests and for a router run without Kafka. */
export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  async publish(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
}
