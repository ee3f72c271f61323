#!/usr/bin/env bash
# One command on a fresh clone: set up, then run every test suite (unit, integration, conformance)
# on the default Kafka, then the suites that talk to Kafka again on the still-supported 3.x release
# (PREVIOUS_DEFAULT_KAFKA_VERSION in src/connectors/kafka/local/jars.ts). Both legs always run and
# print their summaries; the script fails if either failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-runtime.sh
npx tsc -p tsconfig.json --noEmit

kafka3=$(node --input-type=module -e '
  import { PREVIOUS_DEFAULT_KAFKA_VERSION } from "./src/connectors/kafka/local/jars.ts";
  console.log(PREVIOUS_DEFAULT_KAFKA_VERSION);
')

echo "== leg 1: every suite on the default Kafka"
status=0
start=$SECONDS
npm test || status=1
echo "== leg 1 took $((SECONDS - start)) s"

# Suites that use the run's broker (BANYAN_TEST_KAFKA_VERSION): the Kafka connector, its launcher
# and the upgrade test, and the router suites that publish to Kafka. The gateway suites run the
# embedded default whatever the run's broker, so leg 1 covers them.
echo "== leg 2: Kafka suites on Kafka ${kafka3}"
start=$SECONDS
BANYAN_TEST_KAFKA_VERSION="$kafka3" npm test -- \
  test/integration/kafka/ test/unit/connectors/kafka/ \
  test/integration/router/control-gateway test/integration/router/control-rollback test/integration/router/data-mismatch-kafka \
  || status=1
echo "== leg 2 took $((SECONDS - start)) s"

exit "$status"
