/**
 * Names of a source topic's retry path: `<topic>.retry.<n>` per tier (n from 1), then the
 * dead-letter topic `<topic>.dlq` (Uber's reliable reprocessing; Spring Kafka names them
 * `-retry-<n>` and `-dlt`, dots fit Banyan's topic names). Every topic of the path has the source
 * topic's partition count, so a key lands on the same partition number in each.
 */

/** Where a record is read from: the source topic itself (tier 0) or one of its retry tiers. */
export interface RetryPathPosition {
  readonly originalTopic: string;
  /** 0: the source topic; 1..n: `<topic>.retry.<n>`. */
  readonly tier: number;
}

export function tierTopic(originalTopic: string, tier: number): string {
  if (!Number.isInteger(tier) || tier < 1) throw new RangeError(`retry tier ${tier} must be an integer >= 1`);
  return `${originalTopic}.retry.${tier}`;
}

export function deadLetterTopicOf(originalTopic: string, override?: string): string {
  return override ?? `${originalTopic}.dlq`;
}

/** Every retry topic of `topics` with `tiers` tiers, in tier order per topic. */
export function retryTopicsOf(topics: readonly string[], tiers: number): string[] {
  return topics.flatMap((t) => Array.from({ length: tiers }, (_, i) => tierTopic(t, i + 1)));
}

/** Which path position `topic` is, given the bridge's source topics; undefined when it is none of them. */
export function positionOf(topic: string, sourceTopics: readonly string[], tiers: number): RetryPathPosition | undefined {
  if (sourceTopics.includes(topic)) return { originalTopic: topic, tier: 0 };
  const m = /^(.*)\.retry\.(\d+)$/.exec(topic);
  if (!m || !sourceTopics.includes(m[1]!)) return undefined;
  const tier = Number(m[2]);
  return tier >= 1 && tier <= tiers ? { originalTopic: m[1]!, tier } : undefined;
}
