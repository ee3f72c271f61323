#!/usr/bin/env bash
# Installs everything Banyan and its tests need on a fresh machine: npm packages, and Java-side
# artifacts (Kafka broker jars, ...) from Maven Central into the user's cache. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node 24 LTS first on PATH (installed into the per-user cache when the machine's Node is older).
source scripts/node-runtime.sh

# ibmmq and ibm_db are optional: their install scripts download IBM client libraries, which
# cannot be reached here. --ignore-scripts keeps `npm ci` green; the bridges load them lazily.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi

# Each area adds its own idempotent step as scripts/setup.d/NN-name.sh (Kafka jars, code-page
# oracle, browsers for the console test, ...). They run in name order.
for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  echo "setup: $step" >&2
  bash "$step"
done
