/**
 * Schema of `bridges/*.yaml`: one running bridge = one source, one mapping, one sink (DESIGN.md's
 * example, shaped like a Benthos stream). Structure is checked by zod; the checks zod cannot do
 * (exactly one source kind, the mapping file exists) run on the same parsed document so every
 * issue still carries file:line:col.
 *
 * The per-source schemas are the connectors' config specs. They live here until each connector
 * ships its own spec (src/connectors/<system>/spec.ts); then `BRIDGE_SOURCES` imports it instead.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from './issues.ts';
import { checkConfigText } from './load.ts';
import { interpolateEnv } from './env.ts';
import { parseYamlSource } from './yaml-document.ts';
import { boolean, nonEmpty, port, positiveInt } from './schema-helpers.ts';

export interface BridgeCheckContext {
  /** Project root: mapping paths in a bridge are relative to it. */
  readonly rootDir: string;
  readonly env: NodeJS.ProcessEnv;
}

// IBM MQ object names: at most 48 characters (queue manager, queue) or 20 (channel) from
// A-Z a-z 0-9 . / _ % (IBM MQ docs, "Rules for naming IBM MQ objects").
const mqName = (max: number) => z.string().regex(/^[A-Za-z0-9./_%]+$/, 'not a valid IBM MQ name').max(max);

const ibmMqSource = z.strictObject({
  queue_manager: mqName(48),
  channel: mqName(20),
  queue: mqName(48),
  /** CONNAME syntax: `host(port)`, comma-separated for multi-instance queue managers. */
  connection: z.string().regex(/^[^\s(),]+\(\d{1,5}\)(,[^\s(),]+\(\d{1,5}\))*$/, 'expected host(port)[,host(port)...]').optional(),
  user: nonEmpty.optional(),
  password: z.string().optional(),
  cipher_spec: nonEmpty.optional(),
  batch_size: positiveInt.optional(),
  wait_interval_ms: positiveInt.optional(),
});

const amqpSource = z.strictObject({
  host: nonEmpty,
  port: port.default(5672),
  /** AMQP 1.0 node address (queue name on Artemis). */
  address: nonEmpty,
  username: nonEmpty.optional(),
  password: z.string().optional(),
  tls: boolean.default(false),
  container_id: nonEmpty.optional(),
  credit: positiveInt.optional(),
});

const db2CdcSource = z.strictObject({
  host: nonEmpty,
  port: port.default(50000),
  database: nonEmpty,
  user: nonEmpty,
  password: z.string(),
  platform: z.enum(['luw', 'zos']).default('luw'),
  /** Schema of the ASN capture control and CD tables (Debezium's default: ASNCDC). */
  capture_schema: nonEmpty.default('ASNCDC'),
  tables: z.array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'expected SCHEMA.TABLE')).min(1),
  poll_interval_ms: positiveInt.optional(),
  batch_size: positiveInt.optional(),
});

/** Every source kind a bridge may name; a bridge names exactly one. */
export const BRIDGE_SOURCES = { ibm_mq: ibmMqSource, amqp: amqpSource, db2_cdc: db2CdcSource } as const;
export type BridgeSourceKind = keyof typeof BRIDGE_SOURCES;

export const bridgeSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  // All optional here; "exactly one" is checked with positions in checkBridgeText.
  source: z.strictObject({
    ibm_mq: ibmMqSource.optional(),
    amqp: amqpSource.optional(),
    db2_cdc: db2CdcSource.optional(),
  }),
  /** Path of a mappings/records/*.yaml file, relative to the project root. */
  mapping: nonEmpty,
  sink: z.strictObject({
    kafka: z.strictObject({
      // Kafka topic names: [a-zA-Z0-9._-], at most 249 characters (Kafka's Topic.validate).
      topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249),
    }),
  }),
});

export type BridgeConfig = z.output<typeof bridgeSchema>;

/** Every issue of one bridge file: YAML, schema, exactly one source, the mapping file exists. */
export function checkBridgeText(file: string, text: string, context: BridgeCheckContext): ConfigIssue[] {
  const result = checkConfigText(file, text, bridgeSchema, { env: context.env });
  const issues = result.ok ? [] : [...result.issues];
  if (issues.some((i) => i.rule === 'yaml-syntax' || i.rule === 'duplicate-key')) return issues;

  const source = parseYamlSource(file, text);
  const doc = interpolateEnv(source.value, context.env).value;
  if (!isRecord(doc)) return issues;

  if (isRecord(doc.source)) {
    const kinds = Object.keys(doc.source).filter((k) => k in BRIDGE_SOURCES);
    const all = Object.keys(BRIDGE_SOURCES).join(', ');
    if (kinds.length === 0 && Object.keys(doc.source).length === 0) {
      issues.push(source.issueAt(['source'], 'one-of', `source needs exactly one of ${all}`));
    } else if (kinds.length > 1) {
      issues.push(source.issueAt(['source', kinds[1]!], 'one-of', `source has ${kinds.join(' and ')}; a bridge reads exactly one of ${all}`, true));
    }
  }

  if (typeof doc.mapping === 'string' && doc.mapping.length > 0) {
    const target = resolve(context.rootDir, doc.mapping);
    if (!existsSync(target) || !statSync(target).isFile()) {
      issues.push(source.issueAt(['mapping'], 'reference', `mapping file "${doc.mapping}" does not exist`));
    }
  }
  return issues.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * Bridge names must be unique across bridges/: a bridge's name is its identity (its source
 * checkpoint and the Kafka group that elects its single reader are keyed by it, DESIGN.md "Scale").
 * Reports every later use of a name at its position.
 */
export function checkBridgeNamesUnique(files: ReadonlyArray<{ file: string; text: string }>): ConfigIssue[] {
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
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
