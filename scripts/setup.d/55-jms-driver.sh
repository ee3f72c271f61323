#!/usr/bin/env bash
# The Java JMS driver (issue 17, test/java/jms-interop): Qpid JMS jars from Maven Central copied into
# ${XDG_CACHE_HOME:-~/.cache}/banyan/jms-driver/<hash>/lib and JmsDriver.java compiled next to them,
# for the JMS AMQP interop test and the jms-amqp bench. Java and Maven come from 10-kafka.sh.
# Idempotent: an installed driver (same pom and source) is not resolved again.
set -euo pipefail
cd "$(dirname "$0")/../.."

node --input-type=module -e '
  import { ensureJmsDriver } from "./test/support/jms-driver.ts";
  const classpath = await ensureJmsDriver();
  console.error(`setup: JMS driver on ${classpath}`);
'
