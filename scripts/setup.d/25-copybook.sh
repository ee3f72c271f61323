#!/usr/bin/env bash
# The copybook parser's layout oracle compiles generated COBOL with GnuCOBOL (`cobc -std=ibm`,
# Debian package gnucobol3) and compares every item's offset and length with ours.
# Idempotent: installs only when cobc is missing.
set -euo pipefail
if command -v cobc >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends gnucobol3
