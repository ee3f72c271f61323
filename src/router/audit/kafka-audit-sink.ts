/**
 * Audit events to a Kafka topic: key = route id (one route's history in order on one partition),
 * value = the event as JSON, headers carry the action and actor so a consumer can filter without
 * parsing. Written through a `RecordPublisher`: the project's Kafka publisher
 * (src/connectors/kafka) satisfies it, and so does a thin kafkajs producer wrapper.
 */
import type { AuditEvent, AuditSink } from './audit-event.ts';

export interface PublishedRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Resolves once the broker acknowledged every record of the batch (acks=all). */
export interface RecordPublisher {
  publish(records: readonly PublishedRecord[]): Promise<unknown>;
}

export const DEFAULT_AUDIT_TOPIC = 'banyan.router.audit.v1';

export function createKafkaAuditSink(publisher: RecordPublisher, topic = DEFAULT_AUDIT_TOPIC): AuditSink {
  return {
    async publish(event: AuditEvent) {
      await publisher.publish([
        {
          topic,
          key: event.routeId,
          value: JSON.stringify(event),
          headers: { 'banyan-audit-action': event.action, 'banyan-audit-actor': event.actor, 'banyan-event-id': event.id },
        },
      ]);
    },
  };
}
