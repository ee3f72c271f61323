#!/usr/bin/env bash
# Kafka (issue 2): the local broker runs Apache Kafka's jars, resolved from Maven Central by Maven
# and cached per version under ${XDG_CACHE_HOME:-~/.cache}/banyan/kafka/<version>/lib. Pre-fetching
# here keeps `npm test` and `banyan start` from downloading mid-run. Needs Java 17+ (Kafka 4.x
# requires 17) and Maven; installs them from Debian only when missing. Idempotent: cached versions
# are not resolved again.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The default broker version; the 3.x release still supported (PREVIOUS_DEFAULT_KAFKA_VERSION:
# scripts/test.sh runs the Kafka suites on it, and the upgrade test starts it); and a third one
# when the suite is asked to prove it (BANYAN_TEST_KAFKA_VERSION, see
# src/connectors/kafka/local/VERSIONS.md).
node --input-type=module -e '
  import { ensureKafkaJars, DEFAULT_KAFKA_VERSION, PREVIOUS_DEFAULT_KAFKA_VERSION } from "./src/connectors/kafka/local/index.ts";
  const versions = [...new Set([DEFAULT_KAFKA_VERSION, PREVIOUS_DEFAULT_KAFKA_VERSION, process.env.BANYAN_TEST_KAFKA_VERSION].filter(Boolean))];
  for (const v of versions) console.error(`setup: Kafka ${v} jars in ${await ensureKafkaJars(v)}`);
'
