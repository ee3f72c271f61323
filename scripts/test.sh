#!/usr/bin/env bash
# One command on a fresh clone: set up, then run every test suite (unit, integration, conformance).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-runtime.sh
npx tsc -p tsconfig.json --noEmit
npm test
