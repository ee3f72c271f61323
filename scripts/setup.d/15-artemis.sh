#!/usr/bin/env bash
# ActiveMQ Artemis (issue 13): the AMQP 1.0 broker the amqp transport's tests run against. Its jars
# come from Maven Central (test/support/artemis/pom.xml) and a tiny main is compiled next to them,
# cached per version under ${XDG_CACHE_HOME:-~/.cache}/banyan/artemis/<version>. Java and Maven
# come from 10-kafka.sh. Idempotent: an installed version is not resolved again.
set -euo pipefail
cd "$(dirname "$0")/../.."

node --input-type=module -e '
  import { ensureArtemisInstall, ARTEMIS_VERSION } from "./test/support/artemis.ts";
  const install = await ensureArtemisInstall(ARTEMIS_VERSION);
  console.error(`setup: Artemis ${ARTEMIS_VERSION} in ${install.libDir}`);
'
