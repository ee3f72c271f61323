/**
 * Spec of `bridges/*.yaml`: one running bridge = one source, one mapping, one sink (DESIGN.md's
 * example, shaped like a Benthos stream). Structure is checked by zod; the checks zod cannot do
 * (exactly one source and one sink kind, the mapping file exists, names unique across files) run on
 * the same parsed document so every issue still carries file:line:col.
 *
 * The source and sink kinds are not listed here: each connector owns its spec
 * (src/connectors/<system>/spec.ts) and the composition root hands them in (src/config-catalog.ts),
 * the way Benthos registers each component with its ConfigSpec. The bridge runtime that runs such a
 * file comes with the bridge issues.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from '../config/issues.ts';
import { checkConfigText } from '../config/load.ts';
import { interpolateEnv } from '../config/env.ts';
import { parseYamlSource, type YamlSource } from '../config/yaml-document.ts';
import { boolean, nonEmpty, positiveInt } from '../config/schema-helpers.ts';
import { redeliverySchema } from './redelivery-spec.ts';

/** The connector specs a bridge may name, by the key a bridge file uses (`ibm_mq`, `kafka`, ...). */
export interface BridgeComponentSpecs<Sources extends z.ZodRawShape, Sinks extends z.ZodRawShape> {
  readonly sources: Sources;
  readonly sinks: Sinks;
}

export interface BridgeCheckContext {
  /** Project root: mapping paths in a bridge are relative to it. */
  readonly rootDir: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface BridgeSpec<Schema extends z.ZodType> {
  readonly schema: Schema;
  /** Every issue of one bridge file: YAML, schema, exactly one source and sink, the mapping file exists. */
  check(file: string, text: string, context: BridgeCheckContext): ConfigIssue[];
  /**
   * Bridge names must be unique across bridges/: a bridge's name is its identity (its source
   * checkpoint and the Kafka group that elects its single reader are keyed by it, DESIGN.md "Scale").
   * Reports every later use of a name at its position.
   */
  checkNamesUnique(files: ReadonlyArray<{ file: string; text: string }>): ConfigIssue[];
}

export function createBridgeSpec<Sources extends z.ZodRawShape, Sinks extends z.ZodRawShape>(components: BridgeComponentSpecs<Sources, Sinks>) {
  const schema = z.strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
    description: z.string().optional(),
    /**
     * `false`: `banyan start` leaves the bridge alone (a sample that needs a database it cannot
     * assume, switched on per environment with `enabled: ${VAR:-false}`); `banyan run FILE` still
     * runs it when named.
     */
    enabled: boolean.default(true),
    // All optional here; "exactly one" is checked with positions in check().
    source: z.strictObject(optionalAll(components.sources)),
    /**
     * Path of a mappings/records/*.yaml file, relative to the project root. Required for record
     * sources and sinks; a db2_cdc source maps columns itself (typed columns, not record bytes).
     */
    mapping: nonEmpty.optional(),
    sink: z.strictObject(optionalAll(components.sinks)),
    /** How big a batch gets before it is published (records, bytes, and how long a read waits for more). */
    batch: z
      .strictObject({ max_records: positiveInt.default(500), max_bytes: positiveInt.default(1 << 20), max_wait_ms: positiveInt.default(200) })
      .default({ max_records: 500, max_bytes: 1 << 20, max_wait_ms: 200 }),
    /** Where records that cannot be decoded, mapped or encoded go, with their raw bytes; default `<sink topic>.dlq` (a file sink: `<name>.dlq`). */
    dead_letter: z.strictObject({ topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249) }).optional(),
    /**
     * at_least_once: events, then the checkpoint (a crash between them repeats one batch, each
     * duplicate carrying its original's event id). exactly_once: events, dead letters and checkpoint
     * in one Kafka transaction per batch, for read_committed consumers (KIP-98, Connect's KIP-618).
     */
    delivery: z.enum(['at_least_once', 'exactly_once']).default('at_least_once'),
    /**
     * Back-off on retriable failures (the source or Kafka unavailable): capped exponential with
     * jitter. Without `max_attempts` a bridge never gives up; with it, that many consecutive failed
     * attempts stop the bridge (BANYAN_ERR_BRIDGE_RETRIES_EXHAUSTED, not-ready) instead.
     */
    retry: z
      .strictObject({ initial_ms: positiveInt.default(200), max_ms: positiveInt.default(30_000), max_attempts: positiveInt.optional() })
      .default({ initial_ms: 200, max_ms: 30_000 }),
    /**
     * Kafka -> HTTP / queue bridges: retry tiers as topics, then the dead-letter topic (redelivery-spec.ts).
     * Absent on a Kafka -> queue bridge: the pipeline's batch put with `retry:` back-off, as before.
     */
    redelivery: redeliverySchema.optional(),
    /** The compacted topic holding the bridge's committed source position, keyed by bridge name. */
    checkpoints: z.strictObject({ topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249) }).default({ topic: 'banyan.checkpoints' }),
  });

  const spec: BridgeSpec<typeof schema> = {
    schema,
    check(file, text, context) {
      const result = checkConfigText(file, text, schema, { env: context.env });
      const issues = result.ok ? [] : [...result.issues];
      if (issues.some((i) => i.rule === 'yaml-syntax' || i.rule === 'duplicate-key')) return issues;

      const source = parseYamlSource(file, text);
      const doc = interpolateEnv(source.value, context.env).value;
      if (!isRecord(doc)) return issues;

      issues.push(...exactlyOne(source, doc, 'source', 'reads', Object.keys(components.sources)));
      issues.push(...exactlyOne(source, doc, 'sink', 'writes', Object.keys(components.sinks)));
      const sourceBlock = isRecord(doc.source) ? doc.source : {};
      if (doc.mapping === undefined && !('db2_cdc' in sourceBlock)) {
        issues.push(source.issueAt([], 'required', 'mapping is required (the record mapping of this bridge\'s records); only a db2_cdc source has none'));
      }
      if (typeof doc.mapping === 'string' && doc.mapping.length > 0) {
        const target = resolve(context.rootDir, doc.mapping);
        if (!existsSync(target) || !statSync(target).isFile()) {
          issues.push(source.issueAt(['mapping'], 'reference', `mapping file "${doc.mapping}" does not exist`));
        }
      }
      return issues.sort((a, b) => a.line - b.line || a.col - b.col);
    },
    checkNamesUnique(files) {
      const firstUse = new Map<string, string>();
      const issues: ConfigIssue[] = [];
      for (const { file, text } of files) {
        const source = parseYamlSource(file, text);
        const name = isRecord(source.value) ? source.value.name : undefined;
        if (typeof name !== 'string') continue;
        const first = firstUse.get(name);
        if (first === undefined) firstUse.set(name, file);
        else issues.push(source.issueAt(['name'], 'duplicate-name', `bridge name "${name}" is already used by ${first}`));
      }
      return issues;
    },
  };
  return spec;
}

/** `source` / `sink` must name exactly one of the known kinds (unknown ones are the schema's unknown-key issues). */
function exactlyOne(source: YamlSource, doc: Record<string, unknown>, side: 'source' | 'sink', verb: string, known: readonly string[]): ConfigIssue[] {
  const block = doc[side];
  if (!isRecord(block)) return [];
  const kinds = Object.keys(block).filter((k) => known.includes(k));
  const all = known.join(', ');
  if (kinds.length === 0 && Object.keys(block).length === 0) {
    return [source.issueAt([side], 'one-of', `${side} needs exactly one of ${all}`)];
  }
  if (kinds.length > 1) {
    return [source.issueAt([side, kinds[1]!], 'one-of', `${side} has ${kinds.join(' and ')}; a bridge ${verb} exactly one of ${all}`, true)];
  }
  return [];
}

function optionalAll<Shape extends z.ZodRawShape>(shape: Shape): { [K in keyof Shape]: z.ZodOptional<Shape[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, z.optional(s)])) as { [K in keyof Shape]: z.ZodOptional<Shape[K]> };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
