#!/usr/bin/env bash
# The Java JMS conformance suite (issue 17, test/java/jms-conformance): resolves Qpid JMS, JUnit 5,
# the Maven plugins and Surefire's JUnit Platform provider into the local Maven repository once,
# so `npm test` runs it with `mvn -o`. Java and Maven come from 10-kafka.sh. Idempotent: a marker
# keyed by the pom's hash (test/support/jms-conformance.ts) skips a resolved suite.
set -euo pipefail
cd "$(dirname "$0")/../.."

node --input-type=module -e '
  import { ensureConformanceSuite } from "./test/support/jms-conformance.ts";
  await ensureConformanceSuite();
  console.error("setup: JMS conformance suite resolved for offline runs");
'
