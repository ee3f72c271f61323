#!/usr/bin/env bash
# One command on a fresh clone: set up, then start the gateway. With no `kafka.brokers` in
# banyan.yaml it runs its own local Kafka (data under ./.banyan/kafka, kept across restarts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-runtime.sh
exec node src/cli.ts start "$@"
