#!/usr/bin/env bash
# Router (issue 3): Debian's chromium drives the migration console's end-to-end test (with
# playwright-core), nginx and wrk are the baseline and the load generator of bench/router.bench.ts.
# Idempotent and quiet: only installs what is missing, and runs `apt-get update` at most once.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts nginx as a service on install where an init system runs; the bench starts its own
# instance on an ephemeral loopback port with a private config, so the system one is stopped.
if printf '%s\n' "${need[@]}" | grep -qx nginx && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
fi
