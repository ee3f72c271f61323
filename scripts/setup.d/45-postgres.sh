#!/usr/bin/env bash
# DB2 CDC (issue 14): the PostgreSQL server that stands in for Db2 in the CDC tests, holding IBM's
# ASN control and CD tables. Debian's package; the tests initdb and start their own private cluster
# on a free port under a temp dir (test/support/postgres.ts), so no system cluster is needed.
# Idempotent and quiet: installs only when no PostgreSQL server binaries are there.
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then exit 0; fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# Debian creates and starts a "main" cluster where an init system runs; the tests never use it.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now postgresql >/dev/null 2>&1 || true
fi
