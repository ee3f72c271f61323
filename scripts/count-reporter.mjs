// A node:test reporter that only counts outcomes and writes them as JSON, so run-tests.ts can print
// one closing line for all its node --test invocations. Runs beside the spec reporter.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // Suites report too; count leaf tests only, like the spec reporter's "tests" line.
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip) counts.skipped++;
    else if (event.data.todo) counts.todo++;
    else if (event.type === 'test:pass') counts.passed++;
    else counts.failed++;
  }
  yield JSON.stringify(counts);
}
