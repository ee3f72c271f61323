/**
 * What the launcher does when it is asked to run one Kafka version on a data dir that another
 * version formatted or last ran: a pure decision with its reason; the launcher logs it or throws.
 *
 * Kafka's rule (operations manual, "Upgrading KRaft-based clusters"; 4.0 upgrade notes): newer
 * software runs on storage written by older software and keeps the dir's metadata.version until an
 * operator raises it with `kafka-features upgrade`. Older software cannot read a metadata log
 * written at a newer metadata.version: Kafka 3.9.2 on a dir formatted by 4.4.0 dies replaying it
 * ("Can't read version 4 of BrokerEndpoint"). The launcher formats new dirs at the running
 * version's newest metadata.version and never raises it afterwards (VERSIONS.md says why), so the
 * oldest Kafka a dir accepts is the major.minor of the version that formatted it.
 */
import { parseKafkaVersion } from './jars.ts';

export type VersionChange =
  /** No storage yet: format it with this version. */
  | { readonly kind: 'format' }
  /** Same version as last time, or a dir from before the launcher remembered versions. */
  | { readonly kind: 'same' }
  /** A newer Kafka takes over the dir; its metadata.version stays what it was. */
  | { readonly kind: 'upgrade'; readonly from: string }
  /** An older Kafka, still at or above the version that formatted the dir (its metadata is readable). */
  | { readonly kind: 'downgrade'; readonly from: string }
  /** An older Kafka than the one that formatted the dir: it would die reading the metadata log. */
  | { readonly kind: 'refuse'; readonly formattedBy: string };

export interface VersionChangeInput {
  /** The version about to run. */
  readonly version: string;
  /** Whether the dir already holds formatted storage (meta.properties). */
  readonly formatted: boolean;
  /** The version that ran on the dir last (banyan-local-kafka.json), if any. */
  readonly lastRun?: string;
  /** The version that formatted the dir, if the launcher recorded it (dirs formatted since 2026-12). */
  readonly formattedBy?: string;
}

export function decideVersionChange(input: VersionChangeInput): VersionChange {
  if (!input.formatted) return { kind: 'format' };
  if (input.formattedBy !== undefined && compareMinor(input.version, input.formattedBy) < 0) {
    return { kind: 'refuse', formattedBy: input.formattedBy };
  }
  if (input.lastRun === undefined || input.lastRun === input.version) return { kind: 'same' };
  return compareVersions(input.version, input.lastRun) > 0 ? { kind: 'upgrade', from: input.lastRun } : { kind: 'downgrade', from: input.lastRun };
}

/** metadata.version follows the feature release (X.Y), so patch releases of one line share it. */
function compareMinor(a: string, b: string): number {
  const [am, an] = parseKafkaVersion(a);
  const [bm, bn] = parseKafkaVersion(b);
  return am - bm || an - bn;
}

function compareVersions(a: string, b: string): number {
  const [am, an, ap] = parseKafkaVersion(a);
  const [bm, bn, bp] = parseKafkaVersion(b);
  return am - bm || an - bn || ap - bp;
}
