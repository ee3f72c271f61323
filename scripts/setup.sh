#!/usr/bin/env bash
# Installs everything Banyan and its tests need on a fresh machine: npm packages, and Java-side
# artifacts (Kafka broker jars, ...) from Maven Central into the user's cache. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# ibmmq and ibm_db are optional: their install scripts download IBM client libraries, which
# cannot be reached here. --ignore-scripts keeps `npm ci` green; the bridges load them lazily.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
