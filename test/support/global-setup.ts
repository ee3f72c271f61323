/**
 * Starts what the integration suites need, once per `npm test` run, and returns the environment
 * variables that tell the tests where to find it. Each service added here must be installed by the
 * project's own scripts (scripts/setup.sh), never assumed to be on the machine.
 *
 * To add a service: write a `TestService` (name + start) and append it to SERVICES. Services start
 * in parallel; if one fails, the others are stopped and the run fails with that error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../../src/connectors/kafka/local/index.ts';
import { artemisService, needsArtemis } from './artemis.ts';

export interface TestServices {
  readonly env: Record<string, string>;
  teardown(): Promise<void>;
}

export interface TestService {
  readonly name: string;
  /** Whether the selected integration test files need it (default: always). */
  needed?(testFiles: readonly string[]): boolean;
  start(): Promise<TestServices>;
}

/**
 * One real Apache Kafka (KRaft, single node) for the whole run, in a temp data dir, removed at
 * teardown. BANYAN_TEST_KAFKA_VERSION picks another broker version (see
 * src/connectors/kafka/local/VERSIONS.md); BANYAN_TEST_KAFKA_BROKERS already set means "use that
 * broker" and nothing is started.
 */
export const kafkaService: TestService = {
  name: 'kafka',
  async start(): Promise<TestServices> {
    const version = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
    if (process.env.BANYAN_TEST_KAFKA_BROKERS) {
      return { env: { BANYAN_TEST_KAFKA_VERSION: version }, teardown: async () => {} };
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'banyan-test-kafka-'));
    const started = Date.now();
    const kafka = await startLocalKafka({ dataDir, version });
    console.error(`global-setup: Kafka ${version} on ${kafka.brokers.join(',')} (pid ${kafka.pid}, ${Date.now() - started} ms)`);
    return {
      env: {
        BANYAN_TEST_KAFKA_BROKERS: kafka.brokers.join(','),
        BANYAN_TEST_KAFKA_DATA_DIR: dataDir,
        BANYAN_TEST_KAFKA_VERSION: version,
      },
      async teardown() {
        await kafka.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

// Artemis (AMQP 1.0) starts only for runs that include a test asking for it.
const SERVICES: TestService[] = [
  kafkaService,
  { ...artemisService, needed: (files) => files.some((f) => needsArtemis(readFileSync(f, 'utf8'))) },
];

/** Starts the services the given integration test files need (all of them when none are given). */
export async function globalSetup(testFiles?: readonly string[]): Promise<TestServices> {
  const wanted = SERVICES.filter((s) => testFiles === undefined || s.needed === undefined || s.needed(testFiles));
  const results = await Promise.allSettled(wanted.map((s) => s.start()));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const teardown = async () => {
    await Promise.all(started.map((s) => s.teardown().catch((err: unknown) => console.error('teardown failed:', err))));
  };
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed >= 0) {
    await teardown();
    const reason = (results[failed] as PromiseRejectedResult).reason;
    throw new Error(`global-setup: starting ${wanted[failed].name} failed`, { cause: reason });
  }
  return { env: Object.assign({}, ...started.map((s) => s.env)), teardown };
}
