/**
 * Starts what the integration suites need, once per `npm test` run, and returns the environment
 * variables that tell the tests where to find it. Each service added here must be installed by the
 * project's own scripts (scripts/setup.sh), never assumed to be on the machine.
 */
export interface TestServices {
  readonly env: Record<string, string>;
  teardown(): Promise<void>;
}

export async function globalSetup(): Promise<TestServices> {
  return { env: {}, teardown: async () => {} };
}
