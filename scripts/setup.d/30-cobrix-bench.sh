#!/usr/bin/env bash
# bench/codec.bench.ts runs Cobrix's decoder (za.co.absa.cobrix:cobol-parser_2.12 from Maven Central)
# beside Banyan's; bench/bridge.bench.ts runs it with Jackson and the Java KafkaProducer (kafka-clients).
# This step installs a JDK and Maven when missing and pre-fetches the artifact and its
# dependencies into the bench's cache dir, so the benchmark itself needs no download. Idempotent.
# The classpath holds only jars: the bench compiles its harness with each JDK it runs Cobrix on
# (Java 17, installed here, and the newest JDK under /usr/lib/jvm when there is a newer one).
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/banyan/cobrix-bench"
mkdir -p "$cache"
# The classpath is resolved again whenever the harness's pom.xml changes (its hash is kept beside
# it), so a machine that cached an older dependency list picks up the new artifacts.
pom_hash="$(sha256sum bench/cobrix-harness/pom.xml | cut -d' ' -f1)"
if [ ! -s "$cache/classpath.txt" ] || [ "$(cat "$cache/classpath.pom-sha256" 2>/dev/null)" != "$pom_hash" ]; then
  (cd bench/cobrix-harness && mvn -q -B "-Dmaven.repo.local=$cache/m2" dependency:build-classpath "-Dmdep.outputFile=$cache/classpath.txt")
  echo "$pom_hash" > "$cache/classpath.pom-sha256"
fi
