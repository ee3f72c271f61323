#!/usr/bin/env bash
# The code-page test runs the JDK as the oracle for every EBCDIC table (scripts/codepages/Gen.java,
# single-file source launch: Java 11+). Idempotent: installs a headless JDK only when java is missing.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless
